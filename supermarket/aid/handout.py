"""The hand-out at the counter: price the goods in this store, check the household and its entitlement, and
write the distribution, its lines, the signature and the stock movements in one transaction.

The entitlement is enforced inside that transaction by a guarded UPDATE of the household's usage row for the
period (`value_fen + :v <= :cap`), created first with an upsert. Whichever of two stores claims the row first
wins; the other's UPDATE re-checks the committed total and matches no row, so together they can never pass the
cap, on SQLite (one writer at a time) as on PostgreSQL (the row lock, then the WHERE re-evaluated).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .. import audit
from ..auth.permissions import Actor, Role, require
from ..auth.service import verify_approver
from ..catalog import service as catalog
from ..catalog.errors import UnknownBarcode
from ..catalog.models import Item
from ..auth.service import Approval
from ..errors import DomainError, InvalidInput
from ..i18n import yuan
from ..idempotency import run_once
from ..inventory import service as stock
from ..privacy import valid_mainland_id
from ..sequences import next_number
from ..stores.models import Store
from ..uow import unit_of_work
from .entitlements import EntitlementStatus, entitlement_status
from .errors import HouseholdExpired, NotEligible, QuotaExceeded, SignatureRequired
from ..clock import local_today
from .households import can_serve, find_by_code
from .images import CheckedImage, check_signature, store_image
from .models import AidUsage, Distribution, DistributionLine, Household

MAX_LINES = 50


@dataclass(frozen=True)
class LineInput:
    qty: int
    barcode: str | None = None
    item_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ProxyInput:
    name: str
    relation: str


@dataclass(frozen=True)
class HandoutInput:
    household_code: str
    lines: tuple[LineInput, ...]
    witness: Approval | None = None
    signature_png: bytes | None = None
    proxy: ProxyInput | None = None
    override: Approval | None = None
    override_reason: str = ""
    idempotency_key: str | None = None


@dataclass(frozen=True)
class PricedLine:
    item: Item
    qty: int
    unit_value_fen: int

    @property
    def value_fen(self) -> int:
        return self.qty * self.unit_value_fen


@dataclass(frozen=True)
class Quote:
    """What a hand-out would be: its lines valued in this store, the household's standing, and the reasons it
    would be refused (`blocking`: no override helps; `needs_override`: a store manager may override)."""

    household: Household
    validity: str
    status: EntitlementStatus
    lines: tuple[PricedLine, ...]
    blocking: tuple[DomainError, ...]
    needs_override: tuple[DomainError, ...]

    @property
    def total_value_fen(self) -> int:
        return sum(line.value_fen for line in self.lines)

    @property
    def total_items(self) -> int:
        return sum(line.qty for line in self.lines)


@dataclass(frozen=True)
class HandoutResult:
    distribution: Distribution
    status: EntitlementStatus
    replayed: bool = False


def price_lines(session: Session, store_id, lines) -> tuple[PricedLine, ...]:
    """Resolve barcodes or item ids (the same item twice becomes one line) and value them at this store's price."""
    if not lines:
        raise InvalidInput(_("请至少扫描一件物品"), fields={"lines": [_("请至少扫描一件物品")]})
    if len(lines) > MAX_LINES:
        raise InvalidInput(_("一次最多发放 %(n)d 种物品", n=MAX_LINES))
    merged: dict = {}
    for line in lines:
        if line.barcode and valid_mainland_id(line.barcode):  # an ID card scanned as goods: do not echo it
            raise UnknownBarcode(_("这是身份证号，不是物品条码"))
        item = catalog.find_by_barcode(session, line.barcode) if line.barcode else catalog.get_item(session,
                                                                                                    line.item_id)
        if not item.active:
            raise InvalidInput(_("“%(name)s”已停用，不能发放", name=item.name))
        if item.id in merged:
            merged[item.id] = (item, merged[item.id][1] + line.qty)
        else:
            merged[item.id] = (item, line.qty)
    return tuple(PricedLine(item, qty, catalog.price_in_store(session, item, store_id))
                 for item, qty in merged.values())


def _remaining_text(status: EntitlementStatus) -> str:
    parts = []
    if status.value_cap_fen is not None:
        parts.append(_("金额剩余 %(v)s", v=yuan(status.remaining_value_fen)))
    if status.item_cap is not None:
        parts.append(_("件数剩余 %(n)d 件", n=status.remaining_items))
    return "，".join(parts)


def quota_error(status: EntitlementStatus, value_fen: int, items: int) -> QuotaExceeded:
    return QuotaExceeded(
        _("超出%(period)s的领取标准（%(left)s；本次 %(v)s、%(n)d 件）。店长可填写原因后特批。",
          period=status.period_label, left=_remaining_text(status), v=yuan(value_fen), n=items),
        remaining_value_fen=status.remaining_value_fen, remaining_items=status.remaining_items)


def assess(household: Household, status: EntitlementStatus, lines, today, *, check_caps: bool = True):
    """(blocking, needs_override) reasons a hand-out of `lines` to `household` would be refused."""
    blocking, soft = [], []
    if household.status == "suspended":
        blocking.append(NotEligible(_("该家庭已暂停领取：%(reason)s", reason=household.status_reason or _("未说明"))))
    elif household.status == "expired":
        blocking.append(HouseholdExpired(_("该家庭的救助资格已终止，请重新核实登记")))
    elif household.review_due < today:
        soft.append(HouseholdExpired(_("该家庭的资格已于 %(day)s 到期，需复核后再领取",
                                       day=household.review_due.isoformat())))
    rule = status.entitlement
    if rule is None:
        soft.append(NotEligible(_("“%(cat)s”类别目前没有发放标准", cat=household.category.name)))
    else:
        allowed = {c.id for c in rule.goods_categories}
        outside = [pl.item.name for pl in lines if allowed and pl.item.category_id not in allowed]
        if outside:
            soft.append(NotEligible(_("以下物品不在该类别可领范围内：%(names)s", names="、".join(outside))))
        value, items = sum(pl.value_fen for pl in lines), sum(pl.qty for pl in lines)
        over_value = rule.value_cap_fen is not None and status.used_value_fen + value > rule.value_cap_fen
        over_items = rule.item_cap is not None and status.used_items + items > rule.item_cap
        if check_caps and (over_value or over_items):
            soft.append(quota_error(status, value, items))
    return tuple(blocking), tuple(soft)


def quote(session: Session, actor: Actor, household_code: str, lines, *, now: datetime) -> Quote:
    """Value a basket for a household at the actor's store without writing anything (the counter's preview)."""
    require(can_serve(actor), _("只有门店工作人员可以发放物资"))
    household = find_by_code(session, actor, household_code)
    priced = price_lines(session, actor.store_id, lines)
    today = local_today(now)
    status = entitlement_status(session, household, today)
    blocking, soft = assess(household, status, priced, today)
    return Quote(household, household.validity(today), status, priced, blocking, soft)


def claim_usage(session: Session, household_id, period_key: str, value_fen: int, items: int, *,
                value_cap: int | None, item_cap: int | None) -> bool:
    """Add a hand-out to the household's usage of the period, only if it stays within the caps given
    (None = unchecked). Returns False when it would not."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = AidUsage.__table__
    session.execute(insert(table).values(household_id=household_id, period_key=period_key, value_fen=0, items=0)
                    .on_conflict_do_nothing(index_elements=[table.c.household_id, table.c.period_key]))
    stmt = update(AidUsage).where(AidUsage.household_id == household_id, AidUsage.period_key == period_key)
    if value_cap is not None:
        stmt = stmt.where(AidUsage.value_fen + value_fen <= value_cap)
    if item_cap is not None:
        stmt = stmt.where(AidUsage.items + items <= item_cap)
    result = session.execute(stmt.values(value_fen=AidUsage.value_fen + value_fen, items=AidUsage.items + items))
    return result.rowcount == 1


def write_distribution(session: Session, actor: Actor, *, store_id, household: Household, lines, status:
                       EntitlementStatus, now: datetime, counts: bool = True, override_by: str = "",
                       override_reason: str = "", witness=None, signature: CheckedImage | None = None,
                       proxy: ProxyInput | None = None, campaign_id=None, idempotency_key: str | None = None
                       ) -> Distribution:
    """The writes of one hand-out, inside the caller's transaction: usage (guarded unless overridden), the
    distribution and its lines, the stock taken (expired lots refused), the signature and the audit event."""
    now = now.astimezone(timezone.utc)  # the audit chain hashes the time as given
    value, items = sum(pl.value_fen for pl in lines), sum(pl.qty for pl in lines)
    rule = status.entitlement
    if counts and rule is not None:
        caps = (None, None) if override_by else (rule.value_cap_fen, rule.item_cap)
        if not claim_usage(session, household.id, status.period_key, value, items, value_cap=caps[0],
                           item_cap=caps[1]):
            session.expire_all()
            raise quota_error(entitlement_status(session, household, local_today(now)), value, items)
    today = local_today(now)
    store = session.get(Store, store_id)
    serial = f"{store.code}-A-{today:%Y%m%d}-{next_number(session, f'aid:{store_id}:{today:%Y%m%d}'):04d}"
    signature_row = store_image(session, actor, store_id=store_id, kind="signature", image=signature) \
        if signature else None
    dist = Distribution(
        store_id=store_id, serial=serial, idempotency_key=idempotency_key, household_id=household.id,
        category_code=household.category_code, period_key=status.period_key,
        entitlement_id=rule.id if rule else None, counts_toward_entitlement=counts and rule is not None,
        handed_out_at=now, handed_out_on=today, value_fen=value, items=items, operator_id=actor.user_id,
        operator_name=actor.username, witness_id=witness.id if witness else None,
        witness_name=witness.username if witness else "", signature_id=signature_row.id if signature_row else None,
        proxy_name=proxy.name if proxy else "", proxy_relation=proxy.relation if proxy else "",
        campaign_id=campaign_id, override=bool(override_by), override_reason=override_reason,
        override_by=override_by)
    session.add(dist)
    session.flush()
    stock.lock_stock(session, store_id, [pl.item.id for pl in lines])
    for position, pl in enumerate(lines):
        session.add(DistributionLine(distribution_id=dist.id, item_id=pl.item.id, item_name=pl.item.name,
                                     unit=pl.item.unit, qty=pl.qty, unit_value_fen=pl.unit_value_fen,
                                     value_fen=pl.value_fen, position=position))
        stock.take(session, actor, store_id=store_id, item=pl.item, qty=pl.qty, kind="aid_distribution",
                    doc_type="distribution", doc_id=dist.id, now=now)
    summary = {"serial": serial, "household": household.code, "value_fen": value, "items": items,
               "proxy": bool(proxy), "signed": bool(signature), "witness": dist.witness_name,
               "campaign_id": campaign_id}
    audit.record(session, actor, "aid.distributed", dist, summary, store_id=store_id, now=now)
    if override_by:
        audit.record(session, actor, "aid.override", dist, {"serial": serial, "by": override_by,
                                                            "reason": override_reason}, store_id=store_id, now=now)
    return dist


def distribute(session: Session, actor: Actor, data: HandoutInput, *, now: datetime) -> HandoutResult:
    """Hand goods to a household at the actor's store.

    The recipient's signature (a PNG drawn on the tablet) or a proxy (name and relation) is required, and a
    second staff member of the store witnesses with their password or PIN. Over the cap, outside validity, no
    rule for the category or goods outside it: refused, unless a store manager overrides with a reason (flagged
    for the district auditor). A replayed idempotency key returns the first distribution.
    Raises QuotaExceeded, NotEligible, HouseholdExpired, SignatureRequired, BadImage, ApprovalFailed,
    UnknownHousehold, UnknownBarcode, InsufficientStock, ExpiredLot.
    """
    require(can_serve(actor), _("只有门店工作人员可以发放物资"))
    dist, replayed = run_once(session, actor, kind="aid.distribute", key=data.idempotency_key, payload=data,
                              write=lambda claim: _distribute(session, actor, data, claim, now),
                              load=lambda dist_id: session.get(Distribution, uuid.UUID(dist_id)))
    return HandoutResult(dist, entitlement_status(session, dist.household, local_today(now)), replayed=replayed)


def _distribute(session: Session, actor: Actor, data: HandoutInput, claim, now: datetime) -> Distribution:
    store_id = actor.store_id
    household = find_by_code(session, actor, data.household_code)
    if data.signature_png is None and data.proxy is None:
        raise SignatureRequired(_("请领取人在屏幕上签名，或登记代领人"))
    signature = check_signature(data.signature_png) if data.signature_png is not None else None
    if data.witness is None:
        raise InvalidInput(_("需要另一名工作人员见证"), fields={"witness": [_("需要另一名工作人员见证")]})
    witness = verify_approver(session, store_id, data.witness.username, data.witness.secret,
                              roles=(Role.CASHIER, Role.STORE_MANAGER), not_user_id=actor.user_id)
    override_by = ""
    if data.override is not None:
        if not data.override_reason.strip():
            raise InvalidInput(_("特批必须填写原因"), fields={"override_reason": [_("特批必须填写原因")]})
        override_by = verify_approver(session, store_id, data.override.username, data.override.secret,
                                      roles=(Role.STORE_MANAGER,)).username
    priced = price_lines(session, store_id, data.lines)
    today = local_today(now)
    status = entitlement_status(session, household, today)
    # Caps are decided by the guarded UPDATE in the transaction, not by this read.
    blocking, soft = assess(household, status, priced, today, check_caps=False)
    if blocking:
        raise blocking[0]
    if soft and not override_by:
        raise soft[0]
    with unit_of_work(session):
        dist = write_distribution(
            session, actor, store_id=store_id, household=household, lines=priced, status=status, now=now,
            override_by=override_by, override_reason=data.override_reason.strip()[:200], witness=witness,
            signature=signature, proxy=data.proxy,
            idempotency_key=str(claim.document_key) if claim.document_key else None)
        claim.record(session, dist.id)
    return dist
