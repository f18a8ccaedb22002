"""Flags for district auditors, computed from the ledger for one month with SQL aggregates: the same household
served at two stores on one day, many proxy pick-ups, several live households at one address, manager overrides,
and distributions without a signature or a witness.

A flag is not stored; its key is stable, so an auditor's review (FlagReview) stays attached to it. The address
key includes the number of households, so one more household at a reviewed address raises the flag again.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, not_, or_, select, tuple_
from sqlalchemy.orm import Session, joinedload

from ..settings import setting
from .. import audit
from ..auth.permissions import OVERSIGHT, Actor, require
from ..errors import NotFound
from ..privacy import mask_name
from ..stores.models import Store
from ..uow import unit_of_work
from .models import AidFile, Distribution, FlagReview, Household

KINDS = {
    "two_stores": _l("同一天在两家门店领取"),
    "proxy": _l("多次代领"),
    "address": _l("同一地址多户"),
    "override": _l("店长特批"),
    "unsigned": _l("缺少签名或见证"),
}


@dataclass
class Flag:
    key: str
    kind: str
    detail: str
    store_codes: tuple[str, ...] = ()
    household_codes: tuple[str, ...] = ()
    distributions: tuple[Distribution, ...] = ()
    review: FlagReview | None = None
    day: date | None = None
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, end


def list_flags(session: Session, actor: Actor, month: date) -> list[Flag]:
    """Every flag of `month` that touches a store the actor may see, oldest first within each kind."""
    require(actor.role in OVERSIGHT, _("只有区县慈善会和市慈善总会可以查看预警"))
    start, end = month_bounds(month)
    visible = (lambda store_id: True) if actor.all_stores else (lambda store_id: store_id in actor.store_ids)
    codes = dict(session.execute(select(Store.id, Store.code)).all())
    in_month = and_(Distribution.handed_out_on >= start, Distribution.handed_out_on < end)
    flags: list[Flag] = []

    # Same household, one day, more than one store.
    pairs = session.execute(select(Distribution.household_id, Distribution.handed_out_on).where(in_month)
                            .group_by(Distribution.household_id, Distribution.handed_out_on)
                            .having(func.count(func.distinct(Distribution.store_id)) > 1)).all()
    for (household_id, day), dists in _grouped(session, [tuple(p) for p in pairs], in_month,
                                               tuple_(Distribution.household_id, Distribution.handed_out_on)
                                               .in_([tuple(p) for p in pairs]),
                                               key=lambda d: (d.household_id, d.handed_out_on)):
        if any(visible(d.store_id) for d in dists):
            stores = tuple(sorted({codes[d.store_id] for d in dists}))
            flags.append(Flag(f"two_stores:{household_id}:{day}", "two_stores",
                              _("%(day)s 在 %(stores)s 各领取一次", day=day.isoformat(), stores="、".join(stores)),
                              stores, (dists[0].household.code,), tuple(dists), day=day))

    # Many proxy pick-ups in the month.
    threshold = int(setting("AID_FLAG_PROXY_COUNT", 3))
    proxied = list(session.scalars(select(Distribution.household_id).where(in_month, Distribution.proxy_name != "")
                                   .group_by(Distribution.household_id).having(func.count() >= threshold)))
    for household_id, dists in _grouped(session, proxied, in_month, Distribution.proxy_name != "",
                                        Distribution.household_id.in_(proxied), key=lambda d: d.household_id):
        if any(visible(d.store_id) for d in dists) or visible(dists[0].household.store_id):
            flags.append(Flag(f"proxy:{household_id}:{start:%Y-%m}", "proxy",
                              _("本月代领 %(n)d 次", n=len(dists)), tuple(sorted({codes[d.store_id] for d in dists})),
                              (dists[0].household.code,), tuple(dists)))

    # Several live households at one address (not bound to the month).
    same_address = int(setting("AID_FLAG_SAME_ADDRESS", 2))
    keys = list(session.scalars(
        select(Household.address_key).where(Household.status == "active", Household.address_key != "")
        .group_by(Household.address_key).having(func.count() >= same_address)))
    by_address: dict = {}
    for h in session.scalars(select(Household).where(Household.status == "active", Household.address_key.in_(keys))
                             .order_by(Household.code)) if keys else ():
        by_address.setdefault(h.address_key, []).append(h)
    for key in keys:
        households = by_address[key]
        if any(visible(h.store_id) for h in households):
            digest = hashlib.sha256(key.encode()).hexdigest()[:16]
            flags.append(Flag(f"address:{digest}:{len(households)}", "address",
                              _("%(n)d 户登记在同一地址（%(names)s）", n=len(households),
                                names="、".join(mask_name(h.head_name) for h in households)),
                              tuple(sorted({codes[h.store_id] for h in households})),
                              tuple(h.code for h in households)))

    # Overrides, and hand-outs without a signature (or an attached signed sheet) or without a witness.
    sheet_attached = exists().where(AidFile.campaign_id == Distribution.campaign_id, AidFile.kind == "sheet_photo")
    unsigned = or_(Distribution.witness_id.is_(None),
                   and_(Distribution.signature_id.is_(None),
                        or_(Distribution.campaign_id.is_(None), not_(sheet_attached))))
    photographed = set(session.scalars(select(AidFile.campaign_id).where(AidFile.kind == "sheet_photo")))
    for kind, condition in (("override", Distribution.override.is_(True)), ("unsigned", unsigned)):
        for d in _dists(session, in_month, condition):
            if not visible(d.store_id):
                continue
            if kind == "override":
                detail = _("%(by)s 特批：%(reason)s", by=d.override_by, reason=d.override_reason)
            else:
                missing = []
                if d.signature_id is None and d.campaign_id not in photographed:
                    missing.append(_("签名"))
                if d.witness_id is None:
                    missing.append(_("见证人"))
                detail = _("缺少：%(what)s", what="、".join(missing))
            flags.append(Flag(f"{kind}:{d.id}", kind, detail, (codes[d.store_id],), (d.household.code,), (d,),
                              day=d.handed_out_on))

    reviews = {r.key: r for r in session.scalars(select(FlagReview).where(FlagReview.key.in_([f.key for f in flags])))}
    for f in flags:
        f.review = reviews.get(f.key)
    return flags


def _dists(session: Session, *conditions) -> list[Distribution]:
    return list(session.scalars(select(Distribution).options(joinedload(Distribution.household))
                                .where(*conditions).order_by(Distribution.handed_out_at, Distribution.serial)))


def _grouped(session: Session, keys: list, *conditions, key) -> list[tuple]:
    """(group key, its distributions) for `keys`, fetched with one query."""
    if not keys:
        return []
    groups: dict = {k: [] for k in keys}
    for d in _dists(session, *conditions):
        groups[key(d)].append(d)
    return list(groups.items())


def review_flag(session: Session, actor: Actor, *, key: str, month: date, note: str,
                now: datetime) -> FlagReview:
    """Mark a flag the actor can see as reviewed, with a note. Raises NotFound for any other key."""
    if key not in {f.key for f in list_flags(session, actor, month)}:
        raise NotFound(_("该预警不存在或不在您的管辖范围"))
    with unit_of_work(session):
        row = session.get(FlagReview, key) or FlagReview(key=key, reviewed_by=actor.username, at=now)
        row.reviewed_by, row.note, row.at = actor.username, note[:200], now
        session.add(row)
        audit.record(session, actor, "aid.flag_reviewed", subject_type="aid_flag", subject_id=key[:60],
                     summary={"note": note[:200]}, now=now)
    return row
