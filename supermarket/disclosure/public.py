"""Read models of the public pages (no login): the city, its districts, each store and its published months.

Nothing personal is read here: stores, districts and the frozen figures only. Every lookup by code or month
answers NotFound for what does not exist or is not published, so a forged URL learns nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, joinedload

from ..aid.models import Distribution
from ..clock import local_date
from ..errors import NotFound
from ..intake.models import Donation
from ..outreach.models import OpeningHours, PublicityEvent, ServiceLog
from ..points.models import PointsEntry
from ..projects.models import LiveSession, ProgressUpdate, Project
from ..rating import service as rating
from ..stores.models import District, Store
from . import figures as fig
from .models import Disclosure

# The seven functions of a Changsha charity supermarket (rules-research §7.2), each "active" when the store did
# it in the last 90 days by the same tests the standard uses (projects.metrics, outreach.metrics).
FUNCTIONS = (
    ("publicity", _l("慈善宣传")), ("projects", _l("项目展示")), ("donations", _l("款物募捐")),
    ("livestream", _l("直播义买")), ("distribution", _l("物资发放")), ("volunteering", _l("志愿服务及积分兑换")),
    ("convenience", _l("便民利民")),
)
ACTIVE_DAYS = 90


@dataclass(frozen=True)
class Function:
    code: str
    label: str
    active: bool | None  # None: not recorded on this platform yet


def store_by_code(session: Session, code: str) -> Store:
    store = session.scalar(select(Store).where(Store.code == (code or "")[:16]).options(joinedload(Store.district)))
    if store is None or store.status == "preparing":
        raise NotFound(_("找不到该门店"))
    return store


def district_by_code(session: Session, code: str) -> District:
    d = session.scalar(select(District).where(District.code == (code or "")[:16]))
    if d is None:
        raise NotFound(_("找不到该区县"))
    return d


def star(store: Store) -> int | None:
    """The store's star for lists (the stores model's cache of the rating decision), or None (未评定)."""
    return store.star_level


@dataclass(frozen=True)
class StarInfo:
    """The star as the public store page states it: from the store's latest rating decision (the truth; the
    store's `star_level` is its cache). `state`: valid, expired, suspended, revoked, downgraded, or none."""

    stars: int
    state: str
    valid_until: date | None
    verify_token: str | None  # opens /public/rating/<token>, the page the certificate's QR code opens


def star_info(session: Session, store: Store, *, today: date) -> StarInfo:
    """The store's latest rating decision, read through the rating's service. A decision of "not rated"
    (0 stars) or none at all reads 未评定."""
    d = rating.current_decision(session, store.id)
    if d is None or d.stars <= 0:
        return StarInfo(0, "none", None, None)
    return StarInfo(d.stars, rating.star_state(d, today), d.valid_until, d.token)


def functions(session: Session, store_id, *, now: datetime) -> list[Function]:
    """Which of the seven functions were active in the last 90 days: one round trip for the seven facts. The
    tests are the standard's §7.2 ones (a project's progress update posted, a session starting, a publicity
    event held, a convenience service logged), asked of one store."""
    since = now - timedelta(days=ACTIVE_DAYS)
    facts = session.execute(select(
        exists().where(PublicityEvent.store_id == store_id, PublicityEvent.held_on >= local_date(since),
                       PublicityEvent.held_on <= local_date(now)),
        exists().where(ProgressUpdate.project_id == Project.id, Project.store_id == store_id,
                       ProgressUpdate.posted_at >= since, ProgressUpdate.posted_at < now),
        exists().where(Donation.store_id == store_id, Donation.received_at >= since),
        exists().where(LiveSession.store_id == store_id, LiveSession.starts_at >= since, LiveSession.starts_at < now),
        exists().where(Distribution.store_id == store_id, Distribution.handed_out_at >= since),
        exists().where(PointsEntry.store_id == store_id, PointsEntry.kind == "redeem",
                       PointsEntry.created_at >= since),
        exists().where(ServiceLog.store_id == store_id, ServiceLog.served_at >= since,
                       ServiceLog.served_at < now))).one()
    return [Function(code, str(label), bool(active)) for (code, label), active in zip(FUNCTIONS, facts, strict=True)]


WEEKDAYS = (_l("周一"), _l("周二"), _l("周三"), _l("周四"), _l("周五"), _l("周六"), _l("周日"))


def opening_hours(session: Session, store_id) -> list[tuple[str, str]]:
    """The store's regular opening per weekday as recorded (outreach's rows), Monday first; a weekday without a
    row is closed. Empty when the store recorded none (the page then shows the free-text field)."""
    rows = {r.weekday: r for r in session.scalars(select(OpeningHours).where(OpeningHours.store_id == store_id))}
    if not rows:
        return []
    return [(str(label), f"{rows[d].opens_at:%H:%M}–{rows[d].closes_at:%H:%M}" if d in rows else _("休息"))
            for d, label in enumerate(WEEKDAYS)]


def latest_months(session: Session, store_ids) -> dict:
    """{store_id: latest published month} in one query."""
    return dict(session.execute(select(Disclosure.store_id, func.max(Disclosure.month))
                                .where(Disclosure.store_id.in_(list(store_ids)))
                                .group_by(Disclosure.store_id)).all())


def published_months(session: Session, store_ids=None, *, limit: int = 12) -> list[date]:
    stmt = select(Disclosure.month).distinct().order_by(Disclosure.month.desc()).limit(limit)
    if store_ids is not None:
        stmt = stmt.where(Disclosure.store_id.in_(list(store_ids)))
    return list(session.scalars(stmt))


def add(total: dict, f: dict) -> dict:
    """Sum two figure documents (numbers add; category and campaign lists merge by code)."""
    for key, value in f.items():
        if isinstance(value, bool) or value is None or isinstance(value, str):
            total.setdefault(key, value)
        elif isinstance(value, int):
            total[key] = total.get(key, 0) + value
        elif isinstance(value, dict):
            add(total.setdefault(key, {}), value)
        elif isinstance(value, list):
            rows = {r.get("code") or r.get("serial"): r for r in total.setdefault(key, [])}
            for r in value:
                k = r.get("code") or r.get("serial")
                if k in rows:
                    add(rows[k], r)
                else:
                    copy = dict(r)
                    total[key].append(copy)
                    rows[k] = copy
    return total


@dataclass(frozen=True)
class Totals:
    month: date
    stores: int
    figures: dict


def totals(session: Session, month: date, store_ids=None) -> Totals:
    """The month's figures summed over the current version of every store that published it."""
    stmt = select(Disclosure.figures).where(Disclosure.month == month, Disclosure.status == "published")
    if store_ids is not None:
        stmt = stmt.where(Disclosure.store_id.in_(list(store_ids)))
    total = fig.empty_figures()
    n = 0
    for text in session.scalars(stmt):
        # A version published before projects were part of the close has None there: it adds nothing.
        add(total, json.loads(text))
        n += 1
    return Totals(month, n, total)


@dataclass(frozen=True)
class MonthEntry:
    month: date
    current: Disclosure
    versions: int
    first_published_on: date

    @property
    def late(self) -> bool:
        return self.first_published_on > self.current.due_on


def store_months(session: Session, store_id) -> list[MonthEntry]:
    rows = list(session.scalars(select(Disclosure).where(Disclosure.store_id == store_id)
                                .order_by(Disclosure.month.desc(), Disclosure.version)))
    by_month: dict = {}
    for r in rows:
        by_month.setdefault(r.month, []).append(r)
    return [MonthEntry(m, vs[-1], len(vs), local_date(vs[0].published_at)) for m, vs in by_month.items()]


def month_versions(session: Session, store_id, month: date) -> list[Disclosure]:
    """All versions of the month, newest first; NotFound when the month was never published."""
    rows = list(session.scalars(select(Disclosure).where(Disclosure.store_id == store_id, Disclosure.month == month)
                                .order_by(Disclosure.version.desc())))
    if not rows:
        raise NotFound(_("该月尚未公示"))
    return rows


def pick(versions: list[Disclosure], version: int | None) -> Disclosure:
    if version is None:
        return versions[0]
    for v in versions:
        if v.version == version:
            return v
    raise NotFound(_("没有该版本"))
