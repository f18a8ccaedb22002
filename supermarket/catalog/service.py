"""Categories, items, barcodes and prices: the rules of the city-wide catalog."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import case, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from .. import audit
from ..auth.permissions import Actor, Role, require
from ..extensions import db
from ..errors import Conflict, InvalidInput, NotFound
from ..sequences import next_number
from ..stores.models import Store
from ..uow import unit_of_work
from .codes import barcode_kind, internal_code, looks_like_gtin, lookup_variants, pinyin_initials
from .errors import BadBarcode, DuplicateBarcode, UnknownBarcode, UnknownItem
from .models import CONDITION_GRADES, ITEM_KINDS, Category, Item, StorePrice

MAX_PRICE_FEN = 10_000_000  # ¥100,000: anything above is a typo at a charity shop counter


def can_edit_catalog(actor: Actor) -> bool:
    return actor.role in (Role.STORE_MANAGER, Role.FEDERATION_ADMIN, Role.CASHIER)


def list_categories(session: Session) -> list[Category]:
    return list(session.scalars(select(Category).order_by(Category.code)))


def find_category(session: Session, category_id) -> Category:
    """The category by id; NotFound (404) otherwise."""
    category = session.get(Category, category_id) if category_id else None
    if category is None:
        raise NotFound(_("类别不存在"))
    return category


def get_category(session: Session, category_id) -> Category:
    """The category chosen on a form; InvalidInput (422 on the field) otherwise."""
    category = session.get(Category, category_id) if category_id else None
    if category is None:
        raise InvalidInput(_("类别不存在"), fields={"category_id": [_("类别不存在")]})
    return category


def create_category(session: Session, actor: Actor, *, code: str, name: str, prohibited: bool = False,
                    prohibited_reason: str = "", is_food: bool = False, near_expiry_days: int = 7,
                    quick_key: bool = False) -> Category:
    """Only the federation defines categories (the list is city-wide)."""
    require(actor.role is Role.FEDERATION_ADMIN, _("只有市慈善总会可以设置类别"))
    if session.scalar(select(Category.id).where(Category.code == code)):
        raise Conflict(_("类别代码 %(code)s 已存在", code=code))
    with unit_of_work(session):
        category = Category(code=code, name=name, prohibited=prohibited, prohibited_reason=prohibited_reason,
                            is_food=is_food, near_expiry_days=near_expiry_days, quick_key=quick_key)
        session.add(category)
        session.flush()
        audit.record(session, actor, "catalog.category_created", category,
                     {"code": code, "name": name, "prohibited": prohibited})
    return category


CATEGORY_FIELDS = ("name", "prohibited", "prohibited_reason", "is_food", "near_expiry_days", "quick_key")


def update_category(session: Session, actor: Actor, category_id, **values) -> Category:
    """The federation edits a category: prohibited flag and reason, food, near-expiry days, quick key.

    Marking a category prohibited takes effect at once: its goods can no longer be taken in or sold (stock
    already on the shelf can still be written off). Whether a category is food cannot change once it has
    items, because food lots carry expiry dates that non-food lots lack.
    """
    require(actor.role is Role.FEDERATION_ADMIN, _("只有市慈善总会可以设置类别"))
    category = find_category(session, category_id)
    values = {k: v for k, v in values.items() if k in CATEGORY_FIELDS}
    if "is_food" in values and values["is_food"] != category.is_food and session.scalar(
            select(func.count()).select_from(Item).where(Item.category_id == category.id)):
        raise Conflict(_("该类别下已有物品，不能更改“是否食品”"), fields={"is_food": [_("已有物品，不能更改")]})
    if values.get("prohibited", category.prohibited) and not (
            values.get("prohibited_reason", category.prohibited_reason) or "").strip():
        raise InvalidInput(_("禁止类别须写明原因"), fields={"prohibited_reason": [_("禁止类别须写明原因")]})
    changes = {k: [str(getattr(category, k)), str(v)] for k, v in values.items() if getattr(category, k) != v}
    with unit_of_work(session):
        for k, v in values.items():
            setattr(category, k, v)
        audit.record(session, actor, "catalog.category_updated", category, changes)
    return category


def check_barcode(session: Session, code: str) -> str:
    """Validate a manufacturer barcode; return its kind. Raises BadBarcode or DuplicateBarcode."""
    code = (code or "").strip()
    if not looks_like_gtin(code):
        raise BadBarcode(_("条码 %(code)s 不是有效的 EAN-13/UPC 商品条码；没有条码的物品请留空，系统会生成店内码",
                           code=code))
    kind = barcode_kind(code)
    if kind is None:
        raise BadBarcode(_("条码 %(code)s 的校验位不正确，请重新扫描", code=code))
    if session.scalar(select(Item.id).where(Item.barcode.in_(lookup_variants(code)))):
        raise DuplicateBarcode(_("条码 %(code)s 已登记为其他物品", code=code))
    return kind


def _check_item_values(kind: str, condition_grade: str | None, price_fen: int, points_price: int | None,
                       sold_by_weight: bool = False) -> None:
    if kind not in ITEM_KINDS:
        raise InvalidInput(fields={"kind": [_("物品来源无效")]})
    if kind == "donated_used" and condition_grade not in CONDITION_GRADES:
        raise InvalidInput(_("二手捐赠物品必须填写成色等级"), fields={"condition_grade": [_("请选择成色等级")]})
    if not 0 <= price_fen <= MAX_PRICE_FEN:
        raise InvalidInput(_("价格超出范围"), fields={"default_price_fen": [_("价格超出范围")]})
    if points_price is not None and not 0 < points_price <= 1_000_000:
        raise InvalidInput(_("积分价格必须是正整数"), fields={"points_price": [_("积分价格必须是正整数")]})
    if sold_by_weight and points_price is not None:
        # A points price is per unit; a weighed item has none (sales.weighed).
        msg = _("按重量销售的物品不能设积分价")
        raise InvalidInput(msg, fields={"points_price": [msg]})


def create_item(session: Session, actor: Actor, *, name: str, category_id, kind: str, unit: str = "件",
                barcode: str | None = None, condition_grade: str | None = None, default_price_fen: int = 0,
                points_price: int | None = None, store_id=None, commit: bool = True,
                sold_by_weight: bool = False) -> Item:
    """Add an item to the city catalog.

    A manufacturer EAN-13/UPC is kept as it is (check digit verified). Without one, the item gets an internal
    code of the actor's store (YL01-000123), unique in the city. Food follows its category. `commit=False`
    lets a larger action (an intake) create items inside its own transaction. `sold_by_weight`: the price is
    per kg and the item's stock is kept in grams (sales.weighed).
    """
    require(can_edit_catalog(actor))
    category = get_category(session, category_id)
    if category.prohibited:
        raise Conflict(_("“%(cat)s”类物品禁止入库或销售：%(reason)s", cat=category.name,
                         reason=category.prohibited_reason))
    _check_item_values(kind, condition_grade, default_price_fen, points_price, sold_by_weight)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(fields={"name": [_("请填写名称")]})
    if barcode:
        code, code_kind = barcode.strip(), check_barcode(session, barcode)
    else:
        store_id = store_id or actor.store_id
        store = session.get(Store, store_id) if store_id else None
        if store is None:
            raise InvalidInput(_("没有条码的物品需要指定门店来生成店内码"))
        code, code_kind = None, "internal"

    def _write():
        nonlocal code
        if code is None:
            code = internal_code(store.code, next_number(session, f"item-code:{store.id}"))
        item = Item(name=name, pinyin=pinyin_initials(name), category_id=category.id, unit=unit, barcode=code,
                    barcode_kind=code_kind, kind=kind, condition_grade=condition_grade if kind == "donated_used"
                    else None, is_food=category.is_food, default_price_fen=default_price_fen,
                    points_price=points_price, origin_store_id=store_id if code_kind == "internal" else None,
                    sold_by_weight=sold_by_weight)
        session.add(item)
        try:
            session.flush()
        except IntegrityError:  # a racing tablet registered the same barcode just now; the caller rolls back
            raise DuplicateBarcode(_("条码 %(code)s 已登记为其他物品", code=code)) from None
        audit.record(session, actor, "catalog.item_created", item,
                     {"name": name, "barcode": code, "price_fen": default_price_fen,
                      **({"sold_by_weight": True} if sold_by_weight else {})}, store_id=actor.store_id)
        return item

    if not commit:
        return _write()
    with unit_of_work(session):
        return _write()


def update_item(session: Session, actor: Actor, item_id, **values) -> Item:
    """Edit name, unit, prices, grade or active flag (the barcode and kind stay: labels are printed)."""
    require(actor.role in (Role.STORE_MANAGER, Role.FEDERATION_ADMIN))
    item = get_item(session, item_id)
    allowed = {"name", "unit", "default_price_fen", "points_price", "condition_grade", "active", "category_id",
               "sold_by_weight"}
    values = {k: v for k, v in values.items() if k in allowed}
    if "category_id" in values and get_category(session, values["category_id"]).prohibited:
        raise Conflict(_("不能改到禁止类别"))
    _check_item_values(item.kind, values.get("condition_grade", item.condition_grade),
                       values.get("default_price_fen", item.default_price_fen),
                       values.get("points_price", item.points_price),
                       values.get("sold_by_weight", item.sold_by_weight))
    if values.get("sold_by_weight", item.sold_by_weight) != item.sold_by_weight and _has_moved(session, item.id):
        # Its ledger counts units or grams; switching would silently turn 5 件 into 5 g.
        msg = _("该物品已有库存记录，不能更改是否按重量销售")
        raise Conflict(msg, fields={"sold_by_weight": [msg]})
    changes = {k: [str(getattr(item, k)), str(v)] for k, v in values.items() if getattr(item, k) != v}
    with unit_of_work(session):
        for k, v in values.items():
            setattr(item, k, v)
        if "name" in values:
            item.pinyin = pinyin_initials(item.name)
        if "category_id" in values:
            item.is_food = get_category(session, values["category_id"]).is_food
        audit.record(session, actor, "catalog.item_updated", item, changes, store_id=actor.store_id)
    return item


def _has_moved(session: Session, item_id) -> bool:
    movements = db.metadata.tables["stock_movements"]  # inventory's table, read without importing inventory
    return session.scalar(select(movements.c.id).where(movements.c.item_id == item_id).limit(1)) is not None


def get_item(session: Session, item_id) -> Item:
    item = session.get(Item, item_id, options=[joinedload(Item.category)]) if item_id else None
    if item is None:
        raise UnknownItem(_("物品不存在"))
    return item


def find_by_barcode(session: Session, code: str) -> Item:
    """The scan lookup. Raises UnknownBarcode (404 catalog.unknown_barcode)."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        raise UnknownBarcode(_("未找到条码 %(code)s 对应的物品", code=code[:32]))
    item = session.scalar(select(Item).options(joinedload(Item.category))
                          .where(Item.barcode.in_(lookup_variants(code))).limit(1))
    if item is None:
        raise UnknownBarcode(_("未找到条码 %(code)s 对应的物品", code=code))
    return item


def search_items(session: Session, q: str, *, limit: int = 20, include_inactive: bool = False) -> list[Item]:
    """By barcode, by name, or by pinyin initials (typing `kqs` finds 矿泉水, also inside 康师傅矿泉水)."""
    q = (q or "").strip()
    if not q:
        return []
    return list(session.scalars(_search_stmt(q, include_inactive=include_inactive).limit(limit)))


def search_condition(q: str):
    """(where, order_by) matching barcode (exact), name (contains) or pinyin initials (contains; those that
    start with it first). `where` is None for an empty query. Shared by every item search."""
    q = (q or "").strip()
    if not q:
        return None, []
    clean = q.replace("%", "").replace("_", "")
    initials = clean.lower() if clean.isascii() and clean else None
    where = or_(Item.barcode.in_(lookup_variants(q)), Item.name.like(f"%{clean}%") if clean else false(),
                Item.pinyin.like(f"%{initials}%") if initials else false())
    return where, [case((Item.pinyin.like(f"{initials}%"), 0), else_=1)] if initials else []


def _search_stmt(q: str, *, include_inactive: bool = False, category_id=None):
    stmt = select(Item).options(joinedload(Item.category))
    where, order = search_condition(q)
    if where is not None:
        stmt = stmt.where(where)
    if category_id is not None:
        stmt = stmt.where(Item.category_id == category_id)
    if not include_inactive:
        stmt = stmt.where(Item.active.is_(True))
    return stmt.order_by(*order, Item.pinyin, Item.name, Item.id)


def list_items(session: Session, *, q: str = "", category_id=None, include_inactive: bool = True,
               limit: int = 50, offset: int = 0) -> list[Item]:
    """One page of the catalog (for the items page), optionally filtered like `search_items`."""
    stmt = _search_stmt(q, include_inactive=include_inactive, category_id=category_id)
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def price_in_store(session: Session, item: Item, store_id) -> int:
    """The store's own price when it set one, else the default price (fen)."""
    own = session.scalar(select(StorePrice.price_fen).where(StorePrice.store_id == store_id,
                                                           StorePrice.item_id == item.id))
    return item.default_price_fen if own is None else own


def set_store_price(session: Session, actor: Actor, *, store_id, item_id, price_fen: int | None) -> None:
    """A store manager sets (or with None clears) their store's own price."""
    require(actor.role is Role.FEDERATION_ADMIN or (actor.role is Role.STORE_MANAGER and store_id in actor.store_ids))
    item = get_item(session, item_id)
    if store_id is None or session.get(Store, store_id) is None:
        raise NotFound(_("门店不存在"))
    if price_fen is not None and not 0 <= price_fen <= MAX_PRICE_FEN:
        raise InvalidInput(_("价格超出范围"), fields={"price_fen": [_("价格超出范围")]})
    with unit_of_work(session):
        row = session.get(StorePrice, (store_id, item.id))
        old = row.price_fen if row else None
        if price_fen is None and row is not None:
            session.delete(row)
        elif price_fen is not None and row is None:
            session.add(StorePrice(store_id=store_id, item_id=item.id, price_fen=price_fen))
        elif row is not None:
            row.price_fen = price_fen
        audit.record(session, actor, "catalog.store_price_set", item, {"old": old, "new": price_fen},
                     store_id=store_id)
