"""The monthly public list (公示) of distributions: open to anyone, so every row is masked here (张*明, ****1234)
and carries only the category, the goods, the value and the day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..privacy import mask_id_last4, mask_name
from ..stores.models import Store
from .models import AidCategory, Distribution, DistributionLine, Household

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


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, end


def public_store(session: Session, code: str | None) -> Store | None:
    """The store a public list is for (None = the whole city). Unknown codes are NotFound."""
    if not code:
        return None
    store = session.scalar(select(Store).where(Store.code == code.strip().upper()))
    if store is None:
        raise NotFound(_("门店不存在"))
    return store


def public_rows(session: Session, month: date, store: Store | None = None) -> list[PublicRow]:
    """The distributions of `month` (all stores, or one), masked, in the order they happened. Plain column
    queries, not ORM objects: the page is open to anyone and a city month has thousands of rows."""
    start, end = month_bounds(month)
    where = [Distribution.handed_out_on >= start, Distribution.handed_out_on < end]
    if store is not None:
        where.append(Distribution.store_id == store.id)
    rows = session.execute(
        select(Distribution.id, Store.code, Distribution.handed_out_on, Household.head_name, Household.id_last4,
               Distribution.category_code, Distribution.value_fen)
        .join(Household, Household.id == Distribution.household_id).join(Store, Store.id == Distribution.store_id)
        .where(*where).order_by(Distribution.handed_out_at, Distribution.serial).limit(MAX_ROWS)).all()
    items: dict = {}
    lines = session.execute(
        select(DistributionLine.distribution_id, DistributionLine.item_name, DistributionLine.qty)
        .join(Distribution, Distribution.id == DistributionLine.distribution_id).where(*where)
        .order_by(DistributionLine.distribution_id, DistributionLine.position))
    for dist_id, name, qty in lines:
        items.setdefault(dist_id, []).append(f"{name}×{qty}")
    categories = dict(session.execute(select(AidCategory.code, AidCategory.name)).all())
    return [PublicRow(code, day, mask_name(name), mask_id_last4(last4), categories.get(cat, cat),
                      "、".join(items.get(dist_id, ())), value)
            for dist_id, code, day, name, last4, cat, value in rows]
