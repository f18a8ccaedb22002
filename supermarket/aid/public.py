"""The monthly public list (公示) of distributions: open to anyone, so every row is masked here (张*明, ****1234)
and carries only the category, the goods, the value and the day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..errors import NotFound
from ..privacy import mask_id_last4, mask_name
from ..stores.models import Store
from .flags import month_bounds
from .models import AidCategory, Distribution

MAX_ROWS = 5000


@dataclass(frozen=True)
class PublicRow:
    store_code: str
    handed_out_on: date
    head_masked: str
    id_masked: str
    category: str
    items: str
    value_fen: int


def public_store(session: Session, code: str | None) -> Store | None:
    """The store a public list is for (None = the whole city). Unknown codes are NotFound."""
    if not code:
        return None
    store = session.scalar(select(Store).where(Store.code == code.strip().upper()))
    if store is None:
        raise NotFound(_("门店不存在"))
    return store


def public_rows(session: Session, month: date, store: Store | None = None) -> list[PublicRow]:
    """The distributions of `month` (all stores, or one), masked, in the order they happened."""
    start, end = month_bounds(month)
    stmt = (select(Distribution).options(joinedload(Distribution.household), joinedload(Distribution.store),
                                         selectinload(Distribution.lines))
            .where(Distribution.handed_out_on >= start, Distribution.handed_out_on < end)
            .order_by(Distribution.handed_out_at, Distribution.serial).limit(MAX_ROWS))
    if store is not None:
        stmt = stmt.where(Distribution.store_id == store.id)
    categories = dict(session.execute(select(AidCategory.code, AidCategory.name)).all())
    return [PublicRow(d.store.code, d.handed_out_on, mask_name(d.household.head_name),
                      mask_id_last4(d.household.id_last4), categories.get(d.category_code, d.category_code),
                      "、".join(f"{line.item_name}×{line.qty}" for line in d.lines), d.value_fen)
            for d in session.scalars(stmt).unique()]
