"""Read side of aid for store staff and oversight: distributions, stored images, a household's history, and the
store home page figure."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..auth.permissions import Actor, get_scoped, scope
from ..i18n import yuan
from ..stores.service import Figure
from .models import AidFile, Distribution, Household


def list_distributions(session: Session, actor: Actor, *, day_from: date | None = None, day_to: date | None = None,
                       limit: int | None = 50, offset: int = 0) -> list[Distribution]:
    """Distributions of the stores the actor may see, newest first (`day_to` inclusive)."""
    stmt = scope(select(Distribution), actor, Distribution).options(
        joinedload(Distribution.household).joinedload(Household.category), joinedload(Distribution.store))
    if day_from:
        stmt = stmt.where(Distribution.handed_out_on >= day_from)
    if day_to:
        stmt = stmt.where(Distribution.handed_out_on <= day_to)
    stmt = stmt.order_by(Distribution.handed_out_at.desc())
    if limit is None:  # the list's download: every row, read in batches
        return session.scalars(stmt.execution_options(yield_per=1000))
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def get_distribution(session: Session, actor: Actor, distribution_id) -> Distribution:
    """One hand-out with what its page and slip show (store, household, campaign, lines) loaded up front: left
    lazy, each was a statement of its own unless the session happened to hold the row already."""
    return get_scoped(session, actor, Distribution, distribution_id, options=(
        joinedload(Distribution.store), joinedload(Distribution.household), joinedload(Distribution.campaign),
        selectinload(Distribution.lines)))


def get_file(session: Session, actor: Actor, file_id) -> AidFile:
    """A signature or sheet photo of a store the actor may see."""
    return get_scoped(session, actor, AidFile, file_id)


def household_history(session: Session, household: Household, *, limit: int = 50) -> list[Distribution]:
    """What the household received at every store of the city (its entitlement counts them all)."""
    return list(session.scalars(select(Distribution).options(joinedload(Distribution.store))
                                .where(Distribution.household_id == household.id)
                                .order_by(Distribution.handed_out_at.desc()).limit(limit)))


def today_figures(session: Session, store_id, start: datetime, end: datetime) -> list[Figure]:
    """Store home page: households served today and the value handed out."""
    n, value = session.execute(select(func.count(), func.coalesce(func.sum(Distribution.value_fen), 0)).where(
        Distribution.store_id == store_id, Distribution.handed_out_at >= start,
        Distribution.handed_out_at < end)).one()
    return [Figure(_("今日物资发放"), _("%(n)d 户次 · %(v)s", n=n, v=yuan(value)))]
