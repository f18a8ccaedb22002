"""Registered households: registration with a city-wide duplicate check on the ID number, edits, reviews and
status changes, the counter look-up (any store), and the full record (its store only), whose every opening is
logged.

The ID number itself is never stored or echoed: services receive it with the PII key (a plain value from the
view or CLI), validate its check digit, and keep `id_hmac` plus the last four characters.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from .. import audit
from ..auth.permissions import Actor, Role, get_scoped, require, scope
from ..clock import add_months
from ..errors import InvalidInput
from ..models import utcnow
from ..privacy import id_hmac, normalise_id, valid_mainland_id
from ..sequences import next_number
from ..stores.models import Store
from ..uow import unit_of_work
from .entitlements import get_category
from .errors import BadIdNumber, DuplicateHousehold, UnknownHousehold
from .models import HOUSEHOLD_STATUSES, Household, HouseholdView

EDITABLE = ("head_name", "phone", "community", "address", "members", "category_code", "proof_ref")
# Fields whose values are personal data: the audit log records that they changed, not what they became.
PERSONAL = {"head_name", "phone", "address"}
_PUNCT = re.compile(r"[\s,，。.、·\-—_#()（）]+")


def address_key(address: str) -> str:
    return _PUNCT.sub("", (address or "").lower())[:200]


def can_register(actor: Actor, store_id) -> bool:
    """Store managers register for their store; the federation for any (the civil-affairs import)."""
    return actor.role is Role.FEDERATION_ADMIN or (actor.role is Role.STORE_MANAGER and store_id in actor.store_ids)


def can_serve(actor: Actor) -> bool:
    """Counter staff of any store may look a household up by its card or its ID's last four and name."""
    return actor.role in (Role.CASHIER, Role.STORE_MANAGER) and actor.store_id is not None


def sees_contact(actor: Actor) -> bool:
    """Who sees a household's phone and address unmasked on its full record."""
    return actor.role in (Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN)


def live_holder(session: Session, hmac_value: str, *, except_id=None) -> Household | None:
    stmt = select(Household).where(Household.id_hmac == hmac_value, Household.status != "expired")
    if except_id is not None:
        stmt = stmt.where(Household.id != except_id)
    return session.scalar(stmt.limit(1))


def _duplicate(session: Session, holder: Household) -> DuplicateHousehold:
    store = session.get(Store, holder.store_id)
    return DuplicateHousehold(_("该身份证号已在“%(store)s”登记为有效家庭，全市同一身份证号只能登记一户",
                                store=store.name), store_code=store.code)


def check_id_number(pii_key: str, id_number: str) -> tuple[str, str]:
    """(hmac, last four) of a valid mainland ID number; BadIdNumber (without echoing it) otherwise."""
    if not valid_mainland_id(id_number):
        raise BadIdNumber(_("身份证号码格式或校验位不正确"), fields={"id_number": [_("身份证号码格式或校验位不正确")]})
    value = normalise_id(id_number)
    return id_hmac(pii_key, value), value[-4:]


def register_household(session: Session, actor: Actor, *, pii_key: str, id_number: str, head_name: str,
                       category_code: str, verified_on: date, store_id=None, phone: str = "", community: str = "",
                       address: str = "", members: int = 1, proof_ref: str = "", verified_by: str = "",
                       review_due: date | None = None, code: str | None = None, now: datetime | None = None,
                       commit: bool = True) -> Household:
    """Register a household at a store. The review date defaults to the category's review period (12 months,
    3 for temporary hardship). Raises BadIdNumber, DuplicateHousehold (naming the store that holds the number).
    `commit=False` writes inside the caller's transaction (the CSV import)."""
    store_id = store_id or actor.store_id
    require(store_id is not None and can_register(actor, store_id), _("您无权登记救助家庭"))
    store = session.get(Store, store_id)
    if store is None:
        raise InvalidInput(_("门店不存在"), fields={"store_id": [_("门店不存在")]})
    hmac_value, last4 = check_id_number(pii_key, id_number)
    category = get_category(session, category_code)
    if not category.active:
        raise InvalidInput(_("该救助类别已停用"), fields={"category_code": [_("该救助类别已停用")]})
    if (holder := live_holder(session, hmac_value)) is not None:
        raise _duplicate(session, holder)
    due = review_due or add_months(verified_on, category.review_months)
    if due <= verified_on:
        raise InvalidInput(_("复核日期必须晚于核实日期"), fields={"review_due": [_("复核日期必须晚于核实日期")]})

    def write() -> Household:
        household = Household(
            store_id=store.id, code=code or f"H{store.code}{next_number(session, f'household:{store.id}'):06d}",
            head_name=head_name.strip(), id_hmac=hmac_value, id_last4=last4, phone=phone or "",
            community=community or "", address=address or "", address_key=address_key(address), members=members,
            category_code=category.code, proof_ref=proof_ref or "", verified_by=verified_by or actor.username,
            verified_on=verified_on, review_due=due, status="active")
        session.add(household)
        session.flush()
        audit.record(session, actor, "aid.household_registered", household,
                     {"code": household.code, "category": category.code, "review_due": due},
                     store_id=store.id, now=now)
        return household

    if not commit:
        return write()
    try:
        with unit_of_work(session):
            return write()
    except IntegrityError:
        # Two stores registered the same number at once: the unique index let one in.
        if (holder := live_holder(session, hmac_value)) is not None:
            raise _duplicate(session, holder) from None
        raise


def get_household(session: Session, actor: Actor, household_id) -> Household:
    """A household of a store the actor may see (NotFound otherwise)."""
    return get_scoped(session, actor, Household, household_id)


def open_record(session: Session, actor: Actor, household_id, *, via: str = "page",
                now: datetime | None = None) -> Household:
    """The full record, and a line in the read-access log (who, when, which household)."""
    household = get_household(session, actor, household_id)
    with unit_of_work(session):
        session.add(HouseholdView(household_id=household.id, store_id=household.store_id, actor_id=actor.user_id,
                                  actor_name=actor.username, role=actor.role.value if actor.role else "",
                                  at=now or utcnow(), via=via))
    return household


def update_household(session: Session, actor: Actor, household_id, **values) -> Household:
    """Change contact details, members, category or proof; the ID number never changes (register anew)."""
    household = get_household(session, actor, household_id)
    require(can_register(actor, household.store_id), _("您无权修改救助家庭"))
    values = {k: v for k, v in values.items() if k in EDITABLE}
    if "category_code" in values:
        get_category(session, values["category_code"])
    changed = {k: v for k, v in values.items() if getattr(household, k) != v}
    with unit_of_work(session):
        for k, v in changed.items():
            setattr(household, k, v)
        if "address" in changed:
            household.address_key = address_key(household.address)
        audit.record(session, actor, "aid.household_updated", household,
                     {k: ("changed" if k in PERSONAL else v) for k, v in changed.items()}, store_id=household.store_id)
    return household


def review_household(session: Session, actor: Actor, household_id, *, verified_on: date, verified_by: str,
                     proof_ref: str = "", review_due: date | None = None) -> Household:
    """Record a new verification: the household is valid again until the next review date."""
    household = get_household(session, actor, household_id)
    require(can_register(actor, household.store_id), _("您无权复核救助家庭"))
    due = review_due or add_months(verified_on, household.category.review_months)
    if due <= verified_on:
        raise InvalidInput(_("复核日期必须晚于核实日期"), fields={"review_due": [_("复核日期必须晚于核实日期")]})
    with unit_of_work(session):
        household.verified_on, household.verified_by, household.review_due = verified_on, verified_by, due
        if proof_ref:
            household.proof_ref = proof_ref
        audit.record(session, actor, "aid.household_reviewed", household,
                     {"verified_on": verified_on, "review_due": due}, store_id=household.store_id)
    return household


def set_status(session: Session, actor: Actor, household_id, *, status: str, reason: str) -> Household:
    """Suspend, reactivate or close (expired) a household. Reactivating checks the ID number is not live
    elsewhere."""
    household = get_household(session, actor, household_id)
    require(can_register(actor, household.store_id), _("您无权变更救助家庭状态"))
    if status not in HOUSEHOLD_STATUSES:
        raise InvalidInput(fields={"status": [_("状态无效")]})
    if household.status == "expired" and status != "expired":
        if (holder := live_holder(session, household.id_hmac, except_id=household.id)) is not None:
            raise _duplicate(session, holder)
    before = household.status
    with unit_of_work(session):
        household.status, household.status_reason = status, reason[:200]
        audit.record(session, actor, "aid.household_status", household,
                     {"from": before, "to": status, "reason": reason}, store_id=household.store_id)
    return household


def list_households(session: Session, actor: Actor, *, q: str | None = None, status: str | None = None,
                    category_code: str | None = None, pii_key: str | None = None, limit: int | None = 50,
                    offset: int = 0):
    """The households of the actor's stores. `q` matches a code, the ID's last four, a name or a community; a
    full ID number (with `pii_key`) matches its hash. Without a limit (the list's download), every match, read
    in batches."""
    stmt = scope(select(Household), actor, Household).options(joinedload(Household.category))
    if q and pii_key and valid_mainland_id(q):
        stmt = stmt.where(Household.id_hmac == id_hmac(pii_key, q))
    elif q:
        q = q.strip()
        stmt = stmt.where(or_(Household.code == q.upper(), Household.id_last4 == q.upper(),
                              Household.head_name.contains(q), Household.community.contains(q)))
    if status:
        stmt = stmt.where(Household.status == status)
    if category_code:
        stmt = stmt.where(Household.category_code == category_code)
    stmt = stmt.order_by(Household.code)
    if limit is None:
        return session.scalars(stmt.execution_options(yield_per=1000))
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def find_by_code(session: Session, actor: Actor, code: str) -> Household:
    """The counter look-up by card code, city-wide. Raises UnknownHousehold."""
    require(can_serve(actor) or actor.role is Role.FEDERATION_ADMIN, _("只有门店工作人员可以在柜台查找家庭"))
    code = (code or "").strip().upper()
    household = session.scalar(select(Household).options(joinedload(Household.category))
                               .where(Household.code == code)) if 0 < len(code) <= 32 else None
    if household is None:
        if valid_mainland_id(code):  # an ID card scanned into the wrong field: do not echo it
            raise UnknownHousehold(_("这是身份证号，不是户编号：请扫描家庭卡，或用身份证后四位和姓名查找"))
        raise UnknownHousehold(_("未找到户编号 %(code)s", code=code[:32]))
    return household


def find_by_id_and_name(session: Session, actor: Actor, *, last4: str, name: str) -> list[Household]:
    """The counter look-up without a card: the ID's last four characters and the head's full name, city-wide."""
    require(can_serve(actor) or actor.role is Role.FEDERATION_ADMIN, _("只有门店工作人员可以在柜台查找家庭"))
    return list(session.scalars(
        select(Household).options(joinedload(Household.category))
        .where(Household.id_last4 == last4.strip().upper(), Household.head_name == name.strip())
        .order_by(Household.status, Household.code).limit(10)))


def list_record_views(session: Session, actor: Actor, *, household_id=None, limit: int = 100,
                      offset: int = 0) -> list[tuple[HouseholdView, Household]]:
    """The read-access log of the households the actor may see (district auditors, the federation, managers)."""
    require(actor.role in (Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN, Role.STORE_MANAGER))
    stmt = scope(select(HouseholdView, Household).join(Household, Household.id == HouseholdView.household_id),
                 actor, HouseholdView)
    if household_id:
        stmt = stmt.where(HouseholdView.household_id == household_id)
    stmt = stmt.order_by(HouseholdView.at.desc()).limit(limit).offset(offset)
    return [(v, h) for v, h in session.execute(stmt)]

