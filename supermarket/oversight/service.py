"""The dashboards: who sees which (the federation the city compared by district, a district auditor their
district's stores, a store manager their store against the district's median), for a period, with the previous
period and the same period a year earlier. Reads only; an unknown store or district and one outside the
actor's scope answer the same 404."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.permissions import Actor, Role, require
from ..clock import local_today, utcnow
from ..sales.tenders import label as tender_label
from ..standards import facts
from ..stores.models import District, Store
from . import alerts as alerts_mod
from .errors import ScopeNotFound, UnknownTable
from .periods import Period
from . import standing
from .queries import Filter, by_category, cashiers, flows
from .tables import Column, Table, add, columns, label, medians, with_rates

VIEWERS = (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR, Role.STORE_MANAGER)
MONEY_METHODS = {"cash": "现金", "wechat": "微信支付", "alipay": "支付宝", "bank_transfer": "银行转账"}
HEADLINE = ("income_fen", "money_fen", "goods_value_fen", "aid_value_fen", "aid_households", "writeoffs_fen",
            "sales")


@dataclass
class Unit:
    """A row of a comparison: a district (city level) or a store (district level)."""
    id: uuid.UUID
    code: str
    name: str
    kind: str  # district | store


@dataclass
class Dashboard:
    level: str                      # city | district | store
    title: str
    period: Period
    previous: Period
    last_year: Period
    district: Unit | None
    store: Unit | None
    kpis: list = field(default_factory=list)       # (key, label, kind, now, previous, last year)
    tables: list[Table] = field(default_factory=list)
    alerts: alerts_mod.Alerts | None = None
    facts_through: object = None
    standing_at: datetime | None = None           # when the standing figures (stock, pledges, …) were taken
    districts: list = field(default_factory=list)  # (code, name) the federation can pick
    stores: list = field(default_factory=list)     # (code, name) of the scope
    can_widen: bool = False                        # may go up to the district (not a store manager)

    def table(self, name: str) -> Table:
        for t in self.tables:
            if t.name == name:
                return t
        raise UnknownTable()


def _stores(session, district_id=None) -> list[tuple]:
    stmt = (select(Store.id, Store.code, Store.name, Store.district_id, District.code, District.name)
            .join(District, District.id == Store.district_id).order_by(Store.code))
    if district_id is not None:
        stmt = stmt.where(Store.district_id == district_id)
    return session.execute(stmt).all()


def _resolve(session, actor: Actor, district: str | None, store: str | None):
    """(level, district Unit or None, store Unit or None) for what the actor asked and may see."""
    require(actor.role in VIEWERS, _("您无权查看数据看板"))
    if actor.role is Role.STORE_MANAGER and not store:
        row = session.get(Store, actor.store_id) if actor.store_id else None
        if row is None:
            raise ScopeNotFound()
        store = row.code
    if store:
        row = session.execute(select(Store.id, Store.code, Store.name, District.id, District.code, District.name)
                              .join(District, District.id == Store.district_id)
                              .where(Store.code == str(store).strip())).first()
        if row is None or not actor.can_see_store(row[0]):
            raise ScopeNotFound()
        return "store", Unit(row[3], row[4], row[5], "district"), Unit(row[0], row[1], row[2], "store")
    if actor.role is Role.DISTRICT_AUDITOR and not district:
        row = session.get(District, next(iter(actor.district_ids)))
        district = row.code
    if district:
        row = session.execute(select(District).where(District.code == str(district).strip())).scalar()
        if row is None or not (actor.all_stores or row.id in actor.district_ids):
            raise ScopeNotFound()
        return "district", Unit(row.id, row.code, row.name, "district"), None
    return "city", None, None


def dashboard(session, actor: Actor, period: Period, *, district: str | None = None, store: str | None = None,
              link=None, now: datetime | None = None) -> Dashboard:
    """`link(kind, code)` builds a unit's dashboard URL (the page's; None in tests)."""
    now = now or utcnow()
    today = local_today(now)
    level, d_unit, s_unit = _resolve(session, actor, district, store)
    scope = Filter(d_unit.id if d_unit else None)
    title = {"city": _("全市"), "district": d_unit.name if d_unit else "", "store": s_unit.name if s_unit else ""}[level]
    board = Dashboard(level, title, period, period.previous(), period.last_year(), d_unit, s_unit)
    covered = facts.covered(session)
    board.facts_through = covered[1] if covered else None
    board.can_widen = actor.role is not Role.STORE_MANAGER
    store_rows = _stores(session, scope.district_id)
    board.stores = [(r[1], r[2]) for r in store_rows]
    if actor.all_stores:
        board.districts = [(d.code, d.name) for d in session.scalars(select(District).order_by(District.code))]

    current = flows(session, scope, period.start, period.end)
    now_standing, board.standing_at = standing.current(session, scope, [r[0] for r in store_rows], today, now=now)
    # The earlier periods only for the headline, summed over the board's own stores in SQL.
    own = Filter(store_id=s_unit.id) if s_unit else scope
    earlier = flows(session, own, board.previous.start, board.previous.end, headline_only=True, by_store=False)
    year_ago = flows(session, own, board.last_year.start, board.last_year.end, headline_only=True, by_store=False)

    def figures_of(data: dict, ids) -> dict:
        total: dict = {}
        for i in ids:
            add(total, data.get(i, {}))
        return total

    per_store = {}
    for r in store_rows:
        merged = dict(current.get(r[0], {}))
        merged.update(now_standing.get(r[0], {}))
        per_store[r[0]] = with_rates(merged)

    # The comparison units: districts for the city, stores for a district; for a store, the district's stores
    # give the median.
    units: list[tuple[Unit, dict]] = []
    if level == "city":
        by_district: dict = {}
        for r in store_rows:
            unit = by_district.setdefault(r[3], (Unit(r[3], r[4], r[5], "district"), {}))
            add(unit[1], per_store[r[0]])
        # the city's figures are its districts' (16 sums rather than a thousand)
        totals: dict = {}
        for _unit, figures in by_district.values():
            add(totals, figures)
        mine = with_rates(totals)
        units = sorted(((u, with_rates(f)) for u, f in by_district.values()), key=lambda x: x[0].code)
    else:
        mine = with_rates(figures_of(per_store, [s_unit.id] if level == "store" else [r[0] for r in store_rows]))
        units = [(Unit(r[0], r[1], r[2], "store"), per_store[r[0]]) for r in store_rows]
    before, last = earlier.get(None, {}), year_ago.get(None, {})
    board.kpis = [(k, *label(k), mine.get(k, 0), before.get(k, 0), last.get(k, 0)) for k in HEADLINE]

    def unit_rows(keys) -> list[dict]:
        rows = []
        for unit, figures in units:
            row = {"unit": f"{unit.code} {unit.name}", "_link": link(unit.kind, unit.code) if link else None}
            row.update({k: figures.get(k, 0 if not k.endswith("_rate") else None) for k in keys})
            rows.append(row)
        return rows

    unit_label = _("区县") if level == "city" else _("门店")
    from .dashboard_tables import build_tables
    board.tables = build_tables(board, session, scope, mine, per_store, units, unit_rows, unit_label,
                                current, store_rows, link, tender_label, MONEY_METHODS)
    if level in ("city", "district") and actor.role in (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR):
        board.alerts = alerts_mod.alerts(session, scope, today)
    return board


def alerts(session, actor: Actor, *, now: datetime | None = None) -> alerts_mod.Alerts:
    """The day's alerts over everything the actor oversees (district auditors: their district)."""
    require(actor.role in (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR), _("您无权查看预警"))
    scope = Filter(None if actor.all_stores else next(iter(actor.district_ids)))
    return alerts_mod.alerts(session, scope, local_today(now or utcnow()))


__all__ = ["dashboard", "alerts", "Dashboard", "Unit", "Column", "Table", "columns", "cashiers",
           "by_category", "medians"]
