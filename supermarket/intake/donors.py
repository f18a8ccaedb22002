"""Donors: a person or an organisation (anonymous gifts have no donor row), their masked presentation, and
their history across the city.

Contact details are shown in full only to the cashiers and managers of the store that recorded the donor;
auditors, the federation and other stores see them masked. An ID number, when a donor gives one for the
receipt, is kept only as a keyed hash plus its last four digits.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..auth.permissions import Actor, STORE_ROLES, get_scoped, is_store_staff, require, scope
from ..errors import InvalidInput, NotFound
from ..models import utcnow
from ..paging import Page, count
from ..privacy import id_hmac, mask_id_last4, mask_name, mask_phone, valid_mainland_id
from ..stores.models import Store
from ..uow import unit_of_work
from .errors import DuplicateDonor, UnknownDonor
from .models import DONOR_KINDS, Donation, DonationLine, Donor

PHONE = re.compile(r"^\+?[0-9][0-9-]{6,19}$")


@dataclass(frozen=True)
class DonorInput:
    """A new donor as typed at the counter. `id_number` is optional and never stored as such."""

    kind: str
    name: str
    phone: str = ""
    contact_person: str = ""
    address: str = ""
    id_number: str = ""
    note: str = ""


def can_see_contact(actor: Actor, donor: Donor) -> bool:
    """The recording store's cashiers and managers need the donor's contact details; nobody else does."""
    return is_store_staff(actor, donor.store_id)


@dataclass(frozen=True)
class DonorView:
    """A donor as a given actor may see them."""

    id: uuid.UUID
    kind: str
    name: str
    contact_person: str
    phone: str
    address: str
    id_masked: str
    masked: bool


def present(actor: Actor, donor: Donor | None) -> DonorView | None:
    """Mask a person's name, contact person and phone unless the actor needs them. Organisation names stay."""
    if donor is None:
        return None
    full = can_see_contact(actor, donor)
    name = donor.name if full or donor.kind == "organisation" else mask_name(donor.name)
    return DonorView(id=donor.id, kind=donor.kind, name=name,
                     contact_person=donor.contact_person if full else mask_name(donor.contact_person),
                     phone=donor.phone if full else mask_phone(donor.phone),
                     address=donor.address if full else "", id_masked=mask_id_last4(donor.id_last4),
                     masked=not full)


def display_name(actor: Actor, donation: Donation) -> str:
    """The donor's name as this actor may see it, or 匿名."""
    view = present(actor, donation.donor)
    return view.name if view else _("匿名")


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def match_key(pii_key: str, kind: str, name: str, phone: str, hashed_id: str | None) -> str | None:
    """A keyed hash recognising the same donor at any store: ID number, else phone, else organisation name."""
    if hashed_id:
        basis = f"id:{hashed_id}"
    elif phone:
        basis = f"tel:{_digits(phone)}"
    elif kind == "organisation":
        basis = f"org:{name}"
    else:
        return None
    return hmac.new(pii_key.encode(), basis.encode(), hashlib.sha256).hexdigest()


def check_donor_input(data: DonorInput) -> DonorInput:
    """Shape-independent rules of a donor: a kind, a name, a plausible phone, a valid ID number if given."""
    errors: dict = {}
    name = (data.name or "").strip()
    if data.kind not in DONOR_KINDS:
        errors["kind"] = [_("请选择个人或单位")]
    if not name:
        errors["name"] = [_("请填写捐赠人姓名或单位名称")]
    phone = (data.phone or "").strip()
    if phone and not PHONE.match(phone):
        errors["phone"] = [_("电话号码格式不正确")]
    id_number = (data.id_number or "").strip().upper()
    if id_number and (data.kind != "person" or not valid_mainland_id(id_number)):
        errors["id_number"] = [_("身份证号码无效")]
    if errors:
        raise InvalidInput(_("捐赠人信息有误：%(what)s", what="；".join(m for v in errors.values() for m in v)),
                           fields={"donor": errors})
    return DonorInput(kind=data.kind, name=name[:100], phone=phone, contact_person=(data.contact_person or "").strip()[:64],
                      address=(data.address or "").strip()[:200], id_number=id_number, note=(data.note or "").strip()[:200])


def _find_same(session: Session, store_id, key: str | None) -> Donor | None:
    if key is None:
        return None
    return session.scalar(select(Donor).where(Donor.store_id == store_id, Donor.match_key == key).limit(1))


def add_donor(session: Session, actor: Actor, store_id, data: DonorInput, *, pii_key: str,
              reuse: bool = True, now: datetime | None = None) -> Donor:
    """Write a donor inside the caller's transaction; the store's existing record of the same donor is reused
    (`reuse`) or refused with DuplicateDonor."""
    data = check_donor_input(data)
    hashed = id_hmac(pii_key, data.id_number) if data.id_number else None
    key = match_key(pii_key, data.kind, data.name, data.phone, hashed)
    same = _find_same(session, store_id, key)
    if same is not None:
        if reuse:
            return same
        raise DuplicateDonor(_("本店已登记过该捐赠人：%(name)s", name=present(actor, same).name),
                             donor_id=str(same.id))
    donor = Donor(id=uuid.uuid4(), store_id=store_id, kind=data.kind, name=data.name, phone=data.phone,
                  contact_person=data.contact_person if data.kind == "organisation" else "",
                  address=data.address, id_hmac=hashed, id_last4=data.id_number[-4:] if data.id_number else "",
                  match_key=key, note=data.note, created_by_id=actor.user_id)
    session.add(donor)
    session.flush()
    audit.record(session, actor, "intake.donor_created", donor, {"kind": data.kind}, store_id=store_id,
                 now=now)
    return donor


def create_donor(session: Session, actor: Actor, data: DonorInput, *, pii_key: str,
                 now: datetime | None = None) -> Donor:
    """Record a donor for the actor's store. Raises DuplicateDonor when the store already has them."""
    require(actor.role in STORE_ROLES and actor.store_id is not None, _("只有门店员工可以登记捐赠人"))
    with unit_of_work(session):
        return add_donor(session, actor, actor.store_id, data, pii_key=pii_key, reuse=False, now=now or utcnow())


def get_donor(session: Session, actor: Actor, donor_id) -> Donor:
    """A donor the actor may see; UnknownDonor otherwise (another store's ids leak nothing)."""
    try:
        return get_scoped(session, actor, Donor, donor_id)
    except NotFound as e:  # the intake's own code and message
        raise UnknownDonor(_("捐赠人不存在")) from e


def list_donors(session: Session, actor: Actor, *, q: str = "", limit: int | None = 50, offset: int = 0):
    """Donors of the actor's stores, newest first; `q` matches the name or the phone digits. Without a limit (the
    list's download) every match, read in batches."""
    stmt = _searched(scope(select(Donor), actor, Donor).options(selectinload(Donor.store)), (q or "").strip()[:50])
    stmt = stmt.order_by(Donor.created_at.desc(), Donor.id)
    if limit is None:
        return session.scalars(stmt.execution_options(yield_per=1000))
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def donor_choices(session: Session, actor: Actor, *, q: str = "", selected=None, limit: int = 200) -> Page:
    """The donors a form offers: the latest `limit` (or those matching `q`), how many there are in all, and the
    chosen one even when it is older than the latest `limit` (found by a search, or kept from a refused post)."""
    stmt = scope(select(Donor), actor, Donor)
    q = (q or "").strip()[:50]
    rows = list_donors(session, actor, q=q, limit=limit)
    total = count(session, _searched(stmt, q))
    try:
        chosen = uuid.UUID(str(selected)) if selected else None
    except ValueError:
        chosen = None
    if chosen and all(d.id != chosen for d in rows):
        extra = session.scalar(stmt.where(Donor.id == chosen))
        rows = ([extra] if extra is not None else []) + rows
    return Page(rows, total, 1, limit, extra={"q": q})


def _searched(stmt, q: str):
    if q:
        like = f"%{q.replace('%', '').replace('_', '')}%"
        conditions = [Donor.name.like(like), Donor.contact_person.like(like)]
        if _digits(q) and len(_digits(q)) >= 4:
            conditions.append(Donor.phone.like(f"%{_digits(q)}%"))
        stmt = stmt.where(or_(*conditions))
    return stmt


@dataclass(frozen=True)
class HistoryRow:
    """One donation in a donor's city-wide history. Other stores' names are shown only to those who see them."""

    donation_id: uuid.UUID
    serial: str
    store_code: str
    store_name: str
    visible: bool
    received_at: datetime
    goods: str
    total_value_fen: int
    print_count: int


def donor_history(session: Session, actor: Actor, donor: Donor, *, limit: int = 200) -> list[HistoryRow]:
    """What the donor gave, where and when, with receipts issued, at every store of the city (newest first).

    The same donor recorded at other stores is found by the keyed match key, never by raw personal data.
    """
    same = select(Donor.id).where(Donor.match_key == donor.match_key) if donor.match_key else None
    cond = Donation.donor_id.in_(same) if same is not None else Donation.donor_id == donor.id
    donations = list(session.scalars(
        select(Donation).where(cond).options(selectinload(Donation.lines).selectinload(DonationLine.item),
                                             selectinload(Donation.money_lines))
        .order_by(Donation.received_at.desc()).limit(limit)))
    stores = {s.id: s for s in session.scalars(select(Store).where(
        Store.id.in_({d.store_id for d in donations})))} if donations else {}
    rows = []
    for d in donations:
        visible = actor.can_see_store(d.store_id)
        goods = "、".join(f"{line.item.name}×{line.qty}" for line in d.lines[:5]) + ("…" if len(d.lines) > 5 else "")
        if d.money_fen:
            goods = (goods + "；" if goods else "") + _("捐款")
        rows.append(HistoryRow(d.id, d.serial, stores[d.store_id].code, stores[d.store_id].name if visible else "",
                               visible, d.received_at, goods, d.total_value_fen, d.print_count))
    return rows
