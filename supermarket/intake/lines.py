"""The rules of one intake line, checked for every line before anything is written.

An existing item is found by id or by its scanned barcode; a new one is described (category, name, grade…)
and created later inside the intake's transaction. Prohibited categories are refused with their reason, food
needs an expiry date, expired food is refused, food inside its category's near-expiry band is accepted with a
warning and flagged, and goods that cannot be valued are registered at zero and marked.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ..catalog import service as catalog
from ..catalog.errors import BadBarcode, DuplicateBarcode, UnknownBarcode, UnknownItem as CatalogUnknownItem
from ..catalog.models import Category, Item
from ..errors import InvalidInput
from ..sales.weighed import price_fen
from .errors import ExpiredFood, ProhibitedCategory, UnknownItem
from .models import INTAKE_ITEM_KINDS, VALUATION_BASES

MAX_UNIT_VALUE_FEN = 10_000_000  # ¥100,000 a unit: more is a typo at a charity shop counter
MAX_QTY = 100_000
MAX_WEIGHT_G = 1_000_000  # 1,000 kg on one intake line (a pallet of rice); more is a typo
# A new item's shelf price when none is given: half its valued worth (donated goods sell at 30–70 %),
# rounded down to ten fen.
DEFAULT_PRICE_PERCENT = 50


@dataclass(frozen=True)
class NewItemInput:
    """An item created on the spot: no barcode → the store's own code (YL01-000123)."""

    name: str
    category_id: uuid.UUID
    kind: str = "donated_new"
    condition_grade: str | None = None
    unit: str = "件"
    barcode: str | None = None
    price_fen: int | None = None


@dataclass(frozen=True)
class LineInput:
    """One line of an intake: exactly one of `item_id`, `barcode` (an item already known) or `new_item`.

    An item sold by weight gives `weight_g` (grams) and no `qty`, its `unit_value_fen` being the value of one
    kg; any other item gives `qty` and no `weight_g`."""

    qty: int | None
    unit_value_fen: int
    valuation_basis: str
    item_id: uuid.UUID | None = None
    barcode: str | None = None
    new_item: NewItemInput | None = None
    expiry_date: date | None = None
    weight_g: int | None = None


@dataclass
class PlannedLine:
    """A line that passed every rule, ready to be written."""

    line_no: int
    category: Category
    qty: int
    unit_value_fen: int
    valuation_basis: str
    item: Item | None = None
    new_item: NewItemInput | None = None
    expiry_date: date | None = None
    near_expiry: bool = False
    warnings: list[str] = field(default_factory=list)
    weight_g: int | None = None

    @property
    def value_unknown(self) -> bool:
        return self.valuation_basis == "unvalued"

    @property
    def line_value_fen(self) -> int:
        if self.weight_g is not None:
            return price_fen(self.unit_value_fen, self.weight_g)
        return self.qty * self.unit_value_fen

    @property
    def stock_qty(self) -> int:
        """What the stock ledger receives: grams for a weighed line, units otherwise."""
        return self.weight_g if self.weight_g is not None else self.qty

    @property
    def name(self) -> str:
        return self.item.name if self.item is not None else self.new_item.name

    @property
    def unit(self) -> str:
        return self.item.unit if self.item is not None else (self.new_item.unit or "件")

    @property
    def is_food(self) -> bool:
        return self.category.is_food

    @property
    def condition_grade(self) -> str | None:
        return self.item.condition_grade if self.item is not None else self.new_item.condition_grade


def default_price_fen(unit_value_fen: int) -> int:
    return unit_value_fen * DEFAULT_PRICE_PERCENT // 100 // 10 * 10


def _bad(n: int, name: str, message: str):
    return InvalidInput(_("第 %(n)d 行：%(msg)s", n=n, msg=message), fields={"lines": {n - 1: {name: [message]}}})


def _resolve(session: Session, n: int, line: LineInput, store_id) -> tuple[Item | None, Category]:
    given = [x for x in (line.item_id, line.barcode, line.new_item) if x]
    if len(given) != 1:
        raise _bad(n, "item", _("请扫描条码、选择物品或填写新物品，三者选一"))
    if line.new_item is not None:
        spec = line.new_item
        if spec.kind not in INTAKE_ITEM_KINDS:
            raise _bad(n, "kind", _("捐赠物品须为全新或二手"))
        if not (spec.name or "").strip():
            raise _bad(n, "name", _("请填写物品名称"))
        if spec.kind == "donated_used" and spec.condition_grade not in ("A", "B", "C"):
            raise _bad(n, "condition_grade", _("二手物品须填写成色等级"))
        try:
            category = catalog.get_category(session, spec.category_id)
        except InvalidInput:
            raise _bad(n, "category_id", _("类别不存在")) from None
        return None, category
    try:
        item = (catalog.get_item(session, line.item_id) if line.item_id
                else catalog.find_by_barcode(session, line.barcode))
    except (CatalogUnknownItem, UnknownBarcode):
        item = None
    # The store's own codes belong to it: another store's internal item ids are unknown here.
    if item is None or item.origin_store_id not in (None, store_id):
        what = line.barcode or _("所选物品")
        raise UnknownItem(_("第 %(n)d 行：找不到物品 %(what)s", n=n, what=what), line=n)
    return item, item.category


def _check_food(n: int, planned: PlannedLine, today: date) -> None:
    if not planned.is_food:
        planned.expiry_date = None
        return
    if planned.expiry_date is None:
        raise _bad(n, "expiry_date", _("食品“%(name)s”须填写保质期", name=planned.name))
    if planned.expiry_date < today:
        raise ExpiredFood(_("第 %(n)d 行：食品“%(name)s”已过期（%(d)s），不能接收", n=n, name=planned.name,
                            d=planned.expiry_date.isoformat()), line=n)
    if planned.expiry_date <= today + timedelta(days=planned.category.near_expiry_days):
        planned.near_expiry = True
        planned.warnings.append(_("第 %(n)d 行：食品“%(name)s”将于 %(d)s 到期，已标为临期", n=n, name=planned.name,
                                  d=planned.expiry_date.isoformat()))


def _check_value(n: int, line: LineInput) -> None:
    if line.valuation_basis not in VALUATION_BASES:
        raise _bad(n, "valuation_basis", _("请选择计价依据"))
    value = line.unit_value_fen
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_UNIT_VALUE_FEN:
        raise _bad(n, "unit_value_fen", _("单价超出范围"))
    if line.valuation_basis == "unvalued" and value != 0:
        raise _bad(n, "unit_value_fen", _("无法估值的物品按零计，单价须为 0"))
    if line.valuation_basis != "unvalued" and value == 0:
        raise _bad(n, "unit_value_fen", _("请填写单价；确实无法估值时请把计价依据选为“无法估值”"))


def _is_count(value, top: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= top


def _check_amount(n: int, line: LineInput, item: Item | None) -> None:
    """A weighed item takes its weight (grams, from kg with up to three decimals), anything else a quantity."""
    name = item.name if item is not None else line.new_item.name
    if item is not None and item.sold_by_weight:
        if line.qty is not None:
            raise _bad(n, "qty", _("“%(name)s”按重量接收，请填写重量（公斤）而不是数量", name=name))
        if line.weight_g is None:
            raise _bad(n, "weight_g", _("“%(name)s”按重量接收，请填写重量（公斤）", name=name))
        if not _is_count(line.weight_g, MAX_WEIGHT_G):
            raise _bad(n, "weight_g", _("重量须大于 0 且不超过 1000 公斤，最多三位小数"))
        return
    if line.weight_g is not None:
        raise _bad(n, "weight_g", _("“%(name)s”不按重量接收，请填写数量", name=name))
    if not _is_count(line.qty, MAX_QTY):
        raise _bad(n, "qty", _("数量须为 1 到 %(max)d 之间的整数", max=MAX_QTY))


def plan_lines(session: Session, store_id, lines: list[LineInput], *, today: date) -> list[PlannedLine]:
    """Check every line (raising the first problem, naming its line) and return them ready to write."""
    planned, new_barcodes = [], set()
    for n, line in enumerate(lines, 1):
        _check_value(n, line)
        item, category = _resolve(session, n, line, store_id)
        _check_amount(n, line, item)
        if category.prohibited:
            raise ProhibitedCategory(
                _("第 %(n)d 行：“%(cat)s”类物品禁止接收：%(reason)s", n=n, cat=category.name,
                  reason=category.prohibited_reason or _("属于禁止类别")), line=n, category=category.code)
        if line.new_item is not None and line.new_item.barcode:
            code = line.new_item.barcode.strip()
            if code in new_barcodes:
                raise _bad(n, "barcode", _("条码 %(code)s 在本单中重复", code=code))
            new_barcodes.add(code)
            try:
                catalog.check_barcode(session, code)
            except (BadBarcode, DuplicateBarcode) as e:
                raise type(e)(_("第 %(n)d 行：%(msg)s", n=n, msg=e.message), line=n) from None
        weighed = item is not None and item.sold_by_weight
        p = PlannedLine(line_no=n, category=category, qty=1 if weighed else line.qty,
                        unit_value_fen=line.unit_value_fen, valuation_basis=line.valuation_basis, item=item,
                        new_item=line.new_item, expiry_date=line.expiry_date,
                        weight_g=line.weight_g if weighed else None)
        _check_food(n, p, today)
        planned.append(p)
    return planned


def find_item_for_intake(session: Session, store_id, code: str) -> Item:
    """The scan look-up on the intake screen: an item known to the city (or this store's own code).

    Raises UnknownBarcode (404 catalog.unknown_barcode) so the screen can offer to create the item.
    """
    item = catalog.find_by_barcode(session, code)
    if item.origin_store_id not in (None, store_id):
        raise UnknownBarcode(_("未找到条码 %(code)s 对应的物品", code=code))
    return item
