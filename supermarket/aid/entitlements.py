"""Eligibility categories and entitlements: what a household of each category may receive per period, city-wide.

Both lists are data the federation edits. An entitlement is in force between its effective dates (the end is
exclusive); two entitlements of one category may not overlap, so a day has at most one rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..auth.permissions import Actor, Role, require
from ..catalog.models import Category
from ..errors import InvalidInput, NotFound
from ..uow import unit_of_work
from .errors import OverlappingEntitlement
from .models import PERIODS, AidCategory, AidUsage, Entitlement, Household

# The categories a new database starts with (the migration inserts the same rows).
DEFAULT_CATEGORIES = (
    ("dibao", "低保", 12), ("tekun", "特困", 12), ("dibao_edge", "低保边缘", 12), ("disabled", "残疾", 12),
    ("elderly_alone", "孤寡老人", 12), ("children", "困境儿童", 12), ("temporary", "临时救助", 3),
)
PERIOD_LABELS = {"month": _l("每月"), "quarter": _l("每季度"), "year": _l("每年")}


def can_edit_policy(actor: Actor) -> bool:
    return actor.role is Role.FEDERATION_ADMIN


# --- categories -------------------------------------------------------------------------------------------

def ensure_default_categories(session: Session) -> None:
    """Insert the default categories that are missing (tests and `flask demo` start from create_all)."""
    have = set(session.scalars(select(AidCategory.code)))
    with unit_of_work(session):
        for position, (code, name, months) in enumerate(DEFAULT_CATEGORIES):
            if code not in have:
                session.add(AidCategory(code=code, name=name, review_months=months, position=position))


def list_categories(session: Session, *, include_inactive: bool = True) -> list[AidCategory]:
    stmt = select(AidCategory).order_by(AidCategory.position, AidCategory.code)
    if not include_inactive:
        stmt = stmt.where(AidCategory.active.is_(True))
    return list(session.scalars(stmt))


def get_category(session: Session, code: str) -> AidCategory:
    category = session.get(AidCategory, code) if code else None
    if category is None:
        raise InvalidInput(_("救助类别不存在"), fields={"category_code": [_("救助类别不存在")]})
    return category


def save_category(session: Session, actor: Actor, *, code: str, name: str, review_months: int,
                  active: bool = True) -> AidCategory:
    """Add a category or change one (its code stays: households and entitlements refer to it)."""
    require(can_edit_policy(actor), _("只有市慈善总会可以设置救助类别"))
    with unit_of_work(session):
        category = session.get(AidCategory, code)
        before = None
        if category is None:
            position = len(list_categories(session))
            category = AidCategory(code=code, name=name, review_months=review_months, active=active,
                                   position=position)
            session.add(category)
        else:
            before = {"name": category.name, "review_months": category.review_months, "active": category.active}
            category.name, category.review_months, category.active = name, review_months, active
        audit.record(session, actor, "aid.category_saved", subject_type="aid_categories", subject_id=code,
                     summary={"before": before, "name": name, "review_months": review_months, "active": active})
    return category


# --- periods ----------------------------------------------------------------------------------------------

def period_key(period: str, day: date) -> str:
    """The usage bucket of a day: M2026-11, Q2026-4 or Y2026."""
    if period == "month":
        return f"M{day.year}-{day.month:02d}"
    if period == "quarter":
        return f"Q{day.year}-{(day.month - 1) // 3 + 1}"
    return f"Y{day.year}"


def period_label(period: str, day: date) -> str:
    if period == "month":
        return _("%(y)d年%(m)d月", y=day.year, m=day.month)
    if period == "quarter":
        return _("%(y)d年第%(q)d季度", y=day.year, q=(day.month - 1) // 3 + 1)
    return _("%(y)d年", y=day.year)


# --- entitlements -----------------------------------------------------------------------------------------

def list_entitlements(session: Session) -> list[Entitlement]:
    return list(session.scalars(select(Entitlement).options(selectinload(Entitlement.goods_categories))
                                .join(AidCategory).order_by(AidCategory.position, Entitlement.effective_from)))


def get_entitlement(session: Session, entitlement_id) -> Entitlement:
    row = session.get(Entitlement, entitlement_id) if entitlement_id else None
    if row is None:
        raise NotFound()
    return row


def entitlement_in_force(session: Session, category_code: str, day: date) -> Entitlement | None:
    return session.scalar(
        select(Entitlement).options(selectinload(Entitlement.goods_categories))
        .where(Entitlement.category_code == category_code, Entitlement.effective_from <= day,
               (Entitlement.effective_to.is_(None)) | (Entitlement.effective_to > day))
        .order_by(Entitlement.effective_from.desc()).limit(1))


def _check(session: Session, values: dict, *, entitlement_id=None) -> list[Category]:
    get_category(session, values["category_code"])
    if values["period"] not in PERIODS:
        raise InvalidInput(fields={"period": [_("周期无效")]})
    if values.get("value_cap_fen") is None and values.get("item_cap") is None:
        raise InvalidInput(_("请至少设置金额上限或件数上限之一"), fields={"value_cap_fen": [_("请设置上限")]})
    if values.get("effective_to") is not None and values["effective_to"] <= values["effective_from"]:
        raise InvalidInput(_("结束日期必须晚于开始日期"), fields={"effective_to": [_("结束日期必须晚于开始日期")]})
    goods = []
    for category_id in values.get("goods_category_ids") or ():
        category = session.get(Category, category_id)
        if category is None:
            raise InvalidInput(_("物品类别不存在"), fields={"goods_category_ids": [_("物品类别不存在")]})
        goods.append(category)
    start, end = values["effective_from"], values.get("effective_to") or date.max
    for other in session.scalars(select(Entitlement).where(Entitlement.category_code == values["category_code"])):
        if other.id == entitlement_id:
            continue
        if start < (other.effective_to or date.max) and other.effective_from < end:
            raise OverlappingEntitlement(_("该类别在 %(start)s 起已有发放标准，日期不能重叠",
                                           start=other.effective_from.isoformat()))
    return goods


FIELDS = ("category_code", "period", "value_cap_fen", "item_cap", "effective_from", "effective_to", "note")


def _summary(row: Entitlement) -> dict:
    return {k: getattr(row, k) for k in FIELDS} | {"goods": [c.code for c in row.goods_categories]}


def create_entitlement(session: Session, actor: Actor, **values) -> Entitlement:
    """A new rule for a category: caps in fen and/or items per period, optionally only some goods categories."""
    require(can_edit_policy(actor), _("只有市慈善总会可以设置发放标准"))
    goods = _check(session, values)
    with unit_of_work(session):
        row = Entitlement(**{k: values.get(k) for k in FIELDS if k != "note"}, note=values.get("note") or "")
        row.goods_categories = goods
        session.add(row)
        session.flush()
        audit.record(session, actor, "aid.entitlement_created", row, _summary(row))
    return row


def update_entitlement(session: Session, actor: Actor, entitlement_id, **values) -> Entitlement:
    """Change a rule (e.g. end it on a date before a new one starts). Past hand-outs keep what they were."""
    require(can_edit_policy(actor), _("只有市慈善总会可以设置发放标准"))
    row = get_entitlement(session, entitlement_id)
    goods = _check(session, values, entitlement_id=row.id)
    before = _summary(row)
    with unit_of_work(session):
        for k in FIELDS:
            setattr(row, k, values.get(k) if k != "note" else values.get("note") or "")
        row.goods_categories = goods
        audit.record(session, actor, "aid.entitlement_updated", row, {"before": before, "after": _summary(row)})
    return row


@dataclass(frozen=True)
class EntitlementStatus:
    """A household's standing for the period containing `day`, counting hand-outs at every store."""

    entitlement: Entitlement | None
    period_key: str
    period_label: str
    used_value_fen: int
    used_items: int

    @property
    def value_cap_fen(self) -> int | None:
        return self.entitlement.value_cap_fen if self.entitlement else None

    @property
    def item_cap(self) -> int | None:
        return self.entitlement.item_cap if self.entitlement else None

    @property
    def remaining_value_fen(self) -> int | None:
        cap = self.value_cap_fen
        return None if cap is None else max(cap - self.used_value_fen, 0)

    @property
    def remaining_items(self) -> int | None:
        cap = self.item_cap
        return None if cap is None else max(cap - self.used_items, 0)

    @property
    def goods_names(self) -> list[str]:
        return [c.name for c in self.entitlement.goods_categories] if self.entitlement else []


def entitlement_status(session: Session, household: Household, day: date) -> EntitlementStatus:
    rule = entitlement_in_force(session, household.category_code, day)
    period = rule.period if rule else "month"
    key = period_key(period, day)
    usage = session.get(AidUsage, (household.id, key), populate_existing=True)
    return EntitlementStatus(rule, key, period_label(period, day), usage.value_fen if usage else 0,
                             usage.items if usage else 0)
