"""The monthly public list (公示) of distributions: open to anyone, so every row is masked here (张*明, ****1234)
and carries only the category, the goods, the value and the day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from ..errors import NotFound
from ..privacy import mask_id_last4, mask_name
from ..paging import Page, offset_page
from ..stores.models import District, Store
from .models import AidCategory, Distribution, DistributionLine, Household, PublicListPdf

# A store's month is shown in pages of this many rows; the whole city is split by store (a line per store).
PER_PAGE = 100


@dataclass(frozen=True)
class PublicRow:
    store_code: str
    handed_out_on: date
    head_masked: str
    id_masked: str
    category: str
    items: str
    value_fen: int


@dataclass(frozen=True)
class StoreMonth:
    """One store's line of the city-wide summary: how many hand-outs it published and their value."""
    code: str
    district: str
    handouts: int
    value_fen: int


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, end


def public_store(session: Session, code: str | None) -> Store | None:
    """The store a public list is for (None = the whole city). Unknown codes are NotFound."""
    if not code:
        return None
    store = session.scalar(select(Store).options(joinedload(Store.district))
                           .where(Store.code == code.strip().upper()))
    if store is None:
        raise NotFound(_("门店不存在"))
    return store


def _where(month: date, store: Store) -> list:
    start, end = month_bounds(month)
    return [Distribution.store_id == store.id, Distribution.handed_out_on >= start, Distribution.handed_out_on < end]


def city_summary(session: Session, month: date) -> list[StoreMonth]:
    """Every store with its month's hand-outs (zero included), one grouped statement: the city-wide public list
    is this summary with a link per store, never one long list."""
    start, end = month_bounds(month)
    counted = (select(Distribution.store_id, func.count().label("n"), func.sum(Distribution.value_fen).label("v"))
               .where(Distribution.handed_out_on >= start, Distribution.handed_out_on < end)
               .group_by(Distribution.store_id).subquery())
    rows = session.execute(
        select(Store.code, District.name, func.coalesce(counted.c.n, 0), func.coalesce(counted.c.v, 0))
        .join(District, District.id == Store.district_id).outerjoin(counted, counted.c.store_id == Store.id)
        .order_by(Store.code)).all()
    return [StoreMonth(code, district, int(n), int(v)) for code, district, n, v in rows]


def store_month_totals(session: Session, month: date, store: Store) -> tuple[int, int]:
    """(hand-outs, value in fen) of a store's month: the list's footer counts every row, not just the page."""
    n, v = session.execute(select(func.count(), func.coalesce(func.sum(Distribution.value_fen), 0))
                           .where(*_where(month, store))).one()
    return int(n), int(v)


def store_month_version(session: Session, month: date, store: Store) -> str:
    """What identifies a published store month: hand-outs are never edited, only added, so their number and the
    latest one's time change whenever the list does."""
    n, latest = session.execute(select(func.count(), func.max(Distribution.created_at))
                                .where(*_where(month, store))).one()
    return f"{n}:{latest.isoformat() if latest else '-'}"


def public_rows(session: Session, month: date, store: Store, *, page: int | None = 1,
                per_page: int | None = None) -> Page:
    """One page (or, with page=None, all) of a store's distributions of `month`, masked, in the order they
    happened. Plain column queries, not ORM objects: the page is open to anyone."""
    where = _where(month, store)
    stmt = (select(Distribution.id, Store.code, Distribution.handed_out_on, Household.head_name,
                   Household.id_last4, Distribution.category_code, Distribution.value_fen)
            .join(Household, Household.id == Distribution.household_id).join(Store, Store.id == Distribution.store_id)
            .where(*where).order_by(Distribution.handed_out_at, Distribution.serial))
    if page is None:
        rows = session.execute(stmt).all()
        found = Page(rows, len(rows), 1, max(1, len(rows)))
    else:
        found = offset_page(session, stmt, page=page, per_page=per_page or PER_PAGE, scalars=False)
    ids = [r[0] for r in found.items]
    items: dict = {}
    if ids:
        lines = session.execute(
            select(DistributionLine.distribution_id, DistributionLine.item_name, DistributionLine.qty)
            .where(DistributionLine.distribution_id.in_(ids))
            .order_by(DistributionLine.distribution_id, DistributionLine.position))
        for dist_id, name, qty in lines:
            items.setdefault(dist_id, []).append(f"{name}×{qty}")
    categories = dict(session.execute(select(AidCategory.code, AidCategory.name)).all())
    shown = [PublicRow(code, day, mask_name(name), mask_id_last4(last4), categories.get(cat, cat),
                       "、".join(items.get(dist_id, ())), value)
             for dist_id, code, day, name, last4, cat, value in found.items]
    return Page(shown, found.total, found.number, found.per_page)


def cached_public_pdf(session: Session, month: date, store: Store, *, render, now) -> bytes:
    """The store month's public PDF: the stored bytes while the month is unchanged, else rendered once by
    `render(rows)` and stored. Rendering happens at most once per published version of a store month."""
    start, _end = month_bounds(month)
    version = store_month_version(session, start, store)
    cached = session.get(PublicListPdf, (store.id, start))
    if cached is not None and cached.version == version:
        return cached.pdf
    page = public_rows(session, start, store, page=None)
    pdf = render(page.items)
    if cached is None:
        session.add(PublicListPdf(store_id=store.id, month=start, version=version, rows=page.total, pdf=pdf,
                                  rendered_at=now))
    else:
        cached.version, cached.rows, cached.pdf, cached.rendered_at = version, page.total, pdf, now
    try:
        session.commit()
    except IntegrityError:  # another request stored the same month at the same moment: theirs is as good
        session.rollback()
    return pdf
