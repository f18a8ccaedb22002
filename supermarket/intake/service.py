"""Recording a donation: goods into stock and money into the donation fund, counted by two people, with its
receipt serial, all in one transaction; and reading donations back.

A retried request with the same idempotency key and payload returns the first donation and writes nothing new
(supermarket.idempotency: another payload under that key is refused).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..auth.models import User
from ..auth.permissions import Actor, Role, STORE_ROLES, get_scoped, require, scope
from ..auth.errors import ApprovalFailed
from ..auth.service import verify_approver
from ..catalog import service as catalog
from ..clock import local_today
from ..errors import InvalidInput, NotFound
from ..idempotency import run_once
from ..inventory import service as stock
from ..sequences import next_number
from ..stores.models import Store
from ..uow import unit_of_work
from . import pledges as pledge_rules
from .donors import DonorInput, add_donor, get_donor
from .errors import CheckerFailed, SameChecker
from .lines import LineInput, PlannedLine, default_price_fen, plan_lines
from .models import MONEY_METHODS, Donation, DonationFundEntry, DonationLine, DonationPhoto, MoneyLine
from .photos import DEFAULT_MAX_BYTES, PhotoUpload, check_photo

MAX_MONEY_FEN = 100_000_000  # ¥1,000,000 in one payment; larger gifts go through the federation
# Electronic payments carry a reference that ties the gift to the bank or wallet statement.
NEEDS_REFERENCE = ("wechat", "alipay", "bank_transfer")


@dataclass(frozen=True)
class MoneyInput:
    method: str
    amount_fen: int
    reference: str = ""


@dataclass(frozen=True)
class DonationInput:
    """What an intake carries. Donor: `donor_id` (a donor of this store), `new_donor`, or `anonymous`."""

    idempotency_key: uuid.UUID
    checker_username: str
    checker_secret: str
    lines: list[LineInput] = field(default_factory=list)
    money: list[MoneyInput] = field(default_factory=list)
    donor_id: uuid.UUID | None = None
    new_donor: DonorInput | None = None
    anonymous: bool = False
    pledge_id: uuid.UUID | None = None
    note: str = ""
    photo: PhotoUpload | None = None


@dataclass(frozen=True)
class DonationResult:
    donation: Donation
    warnings: list[str]
    replayed: bool = False


def can_record(actor: Actor) -> bool:
    return actor.role in STORE_ROLES and actor.store_id is not None


def local_year(now: datetime) -> int:
    return local_today(now).year


def _check_donor_choice(data: DonationInput) -> None:
    chosen = [x for x in (data.donor_id, data.new_donor, data.anonymous or None) if x]
    if not chosen:
        raise InvalidInput(_("请选择或填写捐赠人，或勾选“匿名捐赠”"), fields={"donor": [_("请选择捐赠人或勾选匿名")]})
    if len(chosen) > 1:
        raise InvalidInput(_("捐赠人只能选择一种：已登记、新登记或匿名"), fields={"donor": [_("捐赠人只能选择一种")]})


def _check_money(money: list[MoneyInput]) -> None:
    for n, m in enumerate(money, 1):
        problem = None
        if m.method not in MONEY_METHODS:
            problem = ("method", _("请选择捐款方式"))
        elif not isinstance(m.amount_fen, int) or isinstance(m.amount_fen, bool) or not 0 < m.amount_fen <= MAX_MONEY_FEN:
            problem = ("amount_fen", _("金额须大于 0 且不超过 100 万元"))
        elif m.method in NEEDS_REFERENCE and not (m.reference or "").strip():
            problem = ("reference", _("微信、支付宝和银行转账须填写交易单号"))
        if problem:
            raise InvalidInput(_("第 %(n)d 笔捐款：%(msg)s", n=n, msg=problem[1]),
                               fields={"money": {n - 1: {problem[0]: [problem[1]]}}})


def _confirm_checker(session: Session, actor: Actor, store_id, username: str, secret: str) -> User:
    """The second person counts and confirms with their own password or PIN (D-02: receiver ≠ checker)."""
    if not (username or "").strip() or not secret:
        raise InvalidInput(_("请由另一位员工输入用户名和密码/PIN 确认清点"),
                           fields={"checker": [_("请填写确认人")]})
    if username.strip() == actor.username:
        raise SameChecker(_("确认人不能是接收人本人，请由另一位员工清点确认"))
    try:
        return verify_approver(session, store_id, username, secret, roles=(Role.CASHIER, Role.STORE_MANAGER),
                               not_user_id=actor.user_id)
    except ApprovalFailed as e:
        raise CheckerFailed(e.message) from None


def record_donation(session: Session, actor: Actor, data: DonationInput, *, pii_key: str, now: datetime,
                    photo_max_bytes: int = DEFAULT_MAX_BYTES) -> DonationResult:
    """Take in a donation at the actor's store as one transaction.

    Writes the donor (if new), the donation with its receipt serial (YL01-2026-000123), its lines with new
    catalog items and one intake movement each (a lot per line, with the expiry date for food), money lines
    with their donation-fund entries, the photo, the pledge's fulfilment and the audit event — or nothing.
    Raises InvalidInput, ProhibitedCategory, ExpiredFood, UnknownItem, UnknownDonor, SameChecker,
    CheckerFailed, PhotoTooLarge, BadPhoto, PledgeClosed.
    """
    require(can_record(actor), _("只有门店员工可以接收捐赠"))
    result = {}

    def write(claim):
        donation, warnings = _record(session, actor, data, claim, pii_key=pii_key, now=now,
                                     photo_max_bytes=photo_max_bytes)
        result["warnings"] = warnings
        return donation

    donation, replayed = run_once(session, actor, kind="intake.donation", key=data.idempotency_key, payload=data,
                                  write=write, load=lambda donation_id: session.get(Donation, uuid.UUID(donation_id)))
    return DonationResult(donation, result.get("warnings", []), replayed=replayed)


def _record(session: Session, actor: Actor, data: DonationInput, claim, *, pii_key: str, now: datetime,
            photo_max_bytes: int) -> tuple[Donation, list[str]]:
    store_id = actor.store_id
    _check_donor_choice(data)
    if not data.lines and not data.money:
        raise InvalidInput(_("请至少登记一件物品或一笔捐款"), fields={"lines": [_("请至少登记一件物品或一笔捐款")]})
    _check_money(data.money)
    donor = get_donor(session, actor, data.donor_id) if data.donor_id else None
    if donor is not None and donor.store_id != store_id:
        raise InvalidInput(_("只能选择本店登记的捐赠人"), fields={"donor": [_("只能选择本店登记的捐赠人")]})
    planned = plan_lines(session, store_id, data.lines, today=local_today(now))
    pledge = pledge_rules.pledge_for_donation(session, actor, data.pledge_id, donor) if data.pledge_id else None
    photo = check_photo(data.photo, max_bytes=photo_max_bytes) if data.photo else None
    checker = _confirm_checker(session, actor, store_id, data.checker_username, data.checker_secret)
    receiver = session.get(User, actor.user_id)
    with unit_of_work(session):
        donation = _write(session, actor, store_id, data, planned, donor, pledge, photo, receiver, checker,
                          claim, pii_key=pii_key, now=now)
    return donation, [w for p in planned for w in p.warnings]


def _write(session: Session, actor: Actor, store_id, data: DonationInput, planned: list[PlannedLine], donor,
           pledge, photo, receiver: User, checker: User, claim, *, pii_key: str, now: datetime) -> Donation:
    store = session.get(Store, store_id)
    year = local_year(now)
    # The serial is claimed first: it is the transaction's first write, so it also takes the write lock.
    number = next_number(session, f"donation:{store_id}:{year}")
    if data.new_donor is not None:
        donor = add_donor(session, actor, store_id, data.new_donor, pii_key=pii_key, now=now)
    goods = sum(p.line_value_fen for p in planned)
    money = sum(m.amount_fen for m in data.money)
    donation = Donation(
        id=uuid.uuid4(), store_id=store_id, serial=f"{store.code}-{year}-{number:06d}", serial_year=year,
        serial_no=number, idempotency_key=claim.document_key or uuid.uuid4(), donor_id=donor.id if donor else None,
        anonymous=donor is None, pledge_id=pledge.id if pledge else None, received_at=now,
        receiver_id=receiver.id, receiver_name=receiver.display_name, checker_id=checker.id,
        checker_name=checker.display_name, goods_value_fen=goods, money_fen=money, total_value_fen=goods + money,
        unit_count=sum(p.qty for p in planned), has_near_expiry=any(p.near_expiry for p in planned),
        has_unvalued=any(p.value_unknown for p in planned), has_photo=photo is not None,
        note=(data.note or "").strip()[:200])
    session.add(donation)
    session.flush()
    claim.record(session, donation.id)
    # Items new to the catalog are this transaction's own; existing ones are locked in the one order first.
    stock.lock_stock(session, store_id, [p.item.id for p in planned if p.item is not None])
    for p in planned:
        _write_line(session, actor, store_id, donation, p, now)
    for n, m in enumerate(data.money, 1):
        line = MoneyLine(store_id=store_id, donation_id=donation.id, line_no=n, method=m.method,
                         amount_fen=m.amount_fen, reference=(m.reference or "").strip()[:64])
        session.add(line)
        session.add(DonationFundEntry(store_id=store_id, occurred_at=now, amount_fen=m.amount_fen,
                                      kind="money_donation", method=m.method, donation_id=donation.id,
                                      money_line=line, actor_name=actor.username))
    if photo is not None:
        session.add(DonationPhoto(store_id=store_id, donation=donation, content_type=photo.content_type,
                                  size_bytes=len(photo.data), sha256=photo.sha256, data=photo.data))
    if pledge is not None:
        pledge_rules.add_fulfilment(session, pledge, donation.total_value_fen)
    session.flush()
    audit.record(session, actor, "intake.donation_recorded", donation, {
        "serial": donation.serial, "lines": len(planned), "units": donation.unit_count,
        "goods_value_fen": goods, "money_fen": money, "checker": checker.username,
        "donor": "anonymous" if donor is None else str(donor.id), "pledge": str(pledge.id) if pledge else None,
        "photo_sha256": photo.sha256 if photo else None}, store_id=store_id, now=now)
    return donation


def _write_line(session: Session, actor: Actor, store_id, donation: Donation, p: PlannedLine,
                now: datetime) -> None:
    item = p.item
    if item is None:
        spec = p.new_item
        price = spec.price_fen if spec.price_fen is not None else default_price_fen(p.unit_value_fen)
        item = catalog.create_item(session, actor, name=spec.name, category_id=p.category.id, kind=spec.kind,
                                   unit=spec.unit or "件", barcode=spec.barcode or None,
                                   condition_grade=spec.condition_grade, default_price_fen=price,
                                   store_id=store_id, commit=False)
    movement = stock.receive(session, actor, store_id=store_id, item=item, qty=p.stock_qty, kind="intake",
                              doc_type="donation", doc_id=donation.id, now=now, expiry_date=p.expiry_date,
                              # A lot's cost is per ledger unit; a gram's share of a per-kg value is not whole fen,
                              # so a weighed lot has none (the donation line keeps the value per kg).
                              unit_cost_fen=None if p.weight_g is not None else p.unit_value_fen,
                              note=donation.serial)
    session.add(DonationLine(
        store_id=store_id, donation=donation, line_no=p.line_no, item_id=item.id, category_id=p.category.id,
        qty=p.qty, weight_g=p.weight_g, unit=item.unit, unit_value_fen=p.unit_value_fen,
        line_value_fen=p.line_value_fen,
        valuation_basis=p.valuation_basis, value_unknown=p.value_unknown, condition_grade=item.condition_grade,
        expiry_date=p.expiry_date, near_expiry=p.near_expiry, item_created=p.item is None, movement=movement))


# --- reading ----------------------------------------------------------------------------------------------

def _donations_stmt(actor: Actor, *, store_id=None, since: datetime | None = None, until: datetime | None = None):
    stmt = scope(select(Donation), actor, Donation).options(selectinload(Donation.donor),
                                                          selectinload(Donation.store))
    if store_id is not None:
        stmt = stmt.where(Donation.store_id == store_id)
    if since is not None:
        stmt = stmt.where(Donation.received_at >= since)
    if until is not None:
        stmt = stmt.where(Donation.received_at < until)
    return stmt.order_by(Donation.received_at.desc(), Donation.serial_no.desc())


def list_donations(session: Session, actor: Actor, *, store_id=None, limit: int = 50, offset: int = 0,
                   since: datetime | None = None, until: datetime | None = None) -> list[Donation]:
    """Donations of the stores the actor sees (or of one of them), newest first."""
    stmt = _donations_stmt(actor, store_id=store_id, since=since, until=until)
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def iter_donations(session: Session, actor: Actor, **filters):
    """The same donations as list_donations, all of them, read in batches (the list's download)."""
    yield from session.scalars(_donations_stmt(actor, **filters).execution_options(yield_per=1000))


def get_donation(session: Session, actor: Actor, donation_id) -> Donation:
    """One donation with its lines; NotFound for another store's id."""
    return get_scoped(session, actor, Donation, donation_id)


def get_photo(session: Session, actor: Actor, donation_id) -> DonationPhoto:
    """The evidence photo of a donation the actor may see; NotFound when there is none."""
    donation = get_donation(session, actor, donation_id)
    photo = session.scalar(select(DonationPhoto).where(DonationPhoto.donation_id == donation.id))
    if photo is None:
        raise NotFound(_("该捐赠没有照片"))
    return photo


def record_receipt_print(session: Session, actor: Actor, donation_id, *, now: datetime) -> tuple[Donation, int]:
    """Count a printing of the donation's receipt; returns (donation, copy number). Copy 1 is the original,
    every later copy is a reprint (补打) and is audited as one."""
    donation = get_donation(session, actor, donation_id)
    with unit_of_work(session):
        # Counted with one atomic UPDATE … RETURNING, so two tablets printing at once get copies 1 and 2.
        copy = session.execute(update(Donation).where(Donation.id == donation.id)
                               .values(print_count=Donation.print_count + 1)
                               .returning(Donation.print_count)).scalar_one()
        action = "intake.receipt_printed" if copy == 1 else "intake.receipt_reprinted"
        audit.record(session, actor, action, donation, {"serial": donation.serial, "copy": copy},
                     store_id=donation.store_id, now=now)
    session.refresh(donation)
    return donation, copy
