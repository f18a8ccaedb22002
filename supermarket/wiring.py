"""What each domain adds to the shared screens and to the schedule, declared in one place, read when the app is
built (never registered by importing a module for its side effect).

- NAV: the menu entries (endpoint, label, roles), in menu order;
- HOME_FIGURES: "module:function" of each provider of a store home page's figures for the day,
  fn(session, store_id, day_start_utc, day_end_utc) -> list[stores.service.Figure];
- JOBS: the periodic jobs `flask jobs run` runs when their time has come (see supermarket/jobs/);
- ITEMS_IN_STORE: "module:function" giving the catalog's pages an item's price and stock in a store,
  fn(session, items, store_id) -> [StockedItem] (stock is inventory's, which sits above the catalog);
- RECEIPT_TRACE_URL: "module:function" giving the address a donation receipt's QR code opens (捐赠去向);
- DONATION_TRACE_PANEL / DONATION_TRACE_ACTION: the donation page's 去向码 panel and where its buttons post;
- STANDARD_DISCLOSURES: "module:function" giving the standard's F-04 (disclosures published on time);
- STANDARD_FINDINGS: "module:function" giving the standard the rating's overdue findings and confirmed red lines;
- STANDARD_RATING: "module:function" giving the standard the self and audit rules' grades and the on-site check of
  each store's current rating round;
- TEMPLATE_PREDICATES: "module:function" of the permission checks templates call by the function's name
  (`can_reverse(actor, sale)`), beside auth.permissions.TEMPLATE_PREDICATES.

A new domain adds its lines here.
"""
from __future__ import annotations

import importlib
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from .auth.permissions import ALL_STAFF, STORE_ROLES, Role
from .jobs.registry import Job
from .nav import NavItem

_ROLES = frozenset

NAV: tuple[NavItem, ...] = (
    NavItem("oversight.dashboard", _l("数据看板"),
            _ROLES({Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN})),
    NavItem("catalog.items", _l("商品目录"), _ROLES(ALL_STAFF)),
    NavItem("catalog.categories", _l("类别"), _ROLES({Role.FEDERATION_ADMIN})),
    NavItem("inventory.home", _l("库存"), _ROLES(STORE_ROLES)),
    NavItem("intake.intake_new", _l("接收捐赠"), _ROLES(STORE_ROLES)),
    NavItem("intake.donations", _l("捐赠管理"), _ROLES(ALL_STAFF)),
    NavItem("sales.till", _l("收银台"), _ROLES(STORE_ROLES)),
    NavItem("sales.sales_list", _l("销售记录"), _ROLES(ALL_STAFF)),
    NavItem("sales.shift_list", _l("班次"), _ROLES(ALL_STAFF)),
    NavItem("points.staff.home", _l("积分"), _ROLES({Role.CASHIER, Role.STORE_MANAGER, Role.FEDERATION_ADMIN})),
    NavItem("points.admin.overview", _l("积分监管"),
            _ROLES({Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN})),
    NavItem("aid.home", _l("物资发放"), _ROLES(ALL_STAFF)),
    NavItem("projects.projects", _l("慈善项目"), _ROLES(ALL_STAFF)),
    NavItem("projects.livestreams", _l("直播义买"), _ROLES(ALL_STAFF)),
    NavItem("outreach.home", _l("宣传与服务"), _ROLES(ALL_STAFF)),
    NavItem("flags.board", _l("预警"), _ROLES({Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN})),
    NavItem("standards.board", _l("标准化核查"),
            _ROLES({Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN})),
    NavItem("rating.home", _l("星级评定"),
            _ROLES({Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN})),
    NavItem("disclosure.home", _l("结账公示"),
            _ROLES({Role.STORE_MANAGER, Role.DISTRICT_AUDITOR, Role.FEDERATION_ADMIN})),
)

HOME_FIGURES: tuple[str, ...] = (
    "supermarket.sales.service:home_figures",
    "supermarket.intake.report:home_figures",
    "supermarket.inventory.service:home_figures",
    "supermarket.aid.service:today_figures",
    "supermarket.points.oversight:today_figures",
    "supermarket.outreach.services_log:home_figures",
    "supermarket.standards.home:home_figures",
)

JOBS: tuple[Job, ...] = (
    Job("points.expire", _l("积分到期清理"), timedelta(days=1), "supermarket.points.service:expire_job"),
    Job("points.land", _l("公示期满的积分入账"), timedelta(days=1), "supermarket.points.service:land_job"),
    Job("standards.refresh", _l("标准化核查每日汇总"), timedelta(days=1), "supermarket.standards.service:refresh_job"),
    Job("flags.detect", _l("异常预警检测"), timedelta(hours=6), "supermarket.flags.detect:detect_job"),
    Job("rating.review_due", _l("星级年审、降级与撤销"), timedelta(days=1), "supermarket.rating.review:review_job"),
    Job("oversight.standing", _l("数据看板：库存与待办现状快照"), timedelta(hours=1),
        "supermarket.oversight.standing:snapshot_job"),
)


ITEMS_IN_STORE = "supermarket.inventory.service:in_store"

# The donation receipt's QR code (intake sits below disclosure): fn(session, actor, donation, *, now) -> URL.
RECEIPT_TRACE_URL = "supermarket.disclosure.trace:receipt_trace_url"
# The donation page's 去向码 panel (state for the staff, reissue / revoke for the manager):
# fn(session, actor, donation) -> object with live, issued_at, revoked, can_manage, public_url.
DONATION_TRACE_PANEL = "supermarket.disclosure.trace:token_panel"
# Where the panel's buttons post (an endpoint taking donation_id), and the page that shows a refused one.
DONATION_TRACE_ACTION = "disclosure.trace_token"

# The standard's F-04 (the disclosure calendar; the standard sits below disclosure):
# fn(session, store_ids or None, first_day, last_day) -> {store_id: (share, on time, due)}.
STANDARD_DISCLOSURES = "supermarket.disclosure.metrics:f04"

# The rating's findings in the standard (the standard sits below rating): fn(session, store_ids (a list or a
# SELECT of ids), first_day, last_day) -> StandardFindings (overdue rule ids and confirmed red lines per store).
STANDARD_FINDINGS = "supermarket.rating.findings:standard_findings"
# The rating's current round in the standard: fn(session, store_ids (a SELECT of ids), last_day) ->
# {store_id: object with self_grades, audit_grades ({rule: grade}), onsite_passed, visited_on, round_name}.
STANDARD_RATING = "supermarket.rating.onsite:standard_results"

TEMPLATE_PREDICATES: tuple[str, ...] = (
    "supermarket.sales.reversals:can_reverse",
    "supermarket.sales.settings:can_configure_till",
)


def _imported(target: str):
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def home_figure_providers() -> list:
    """The HOME_FIGURES functions, imported."""
    return [_imported(target) for target in HOME_FIGURES]


def items_in_store(session, items: list, store_id) -> list:
    """The items with their price and stock in the store (see ITEMS_IN_STORE)."""
    return _imported(ITEMS_IN_STORE)(session, items, store_id)


def receipt_trace_url(session, actor, donation, *, now) -> str:
    """The trace page's address for a donation receipt's QR code (see RECEIPT_TRACE_URL)."""
    return _imported(RECEIPT_TRACE_URL)(session, actor, donation, now=now)


def donation_trace_panel(session, actor, donation):
    """The donation page's trace-token panel (see DONATION_TRACE_PANEL)."""
    return _imported(DONATION_TRACE_PANEL)(session, actor, donation)


def standard_disclosures(session, store_ids, first_day, last_day) -> dict:
    """F-04's figures per store (see STANDARD_DISCLOSURES)."""
    return _imported(STANDARD_DISCLOSURES)(session, store_ids, first_day, last_day)


def standard_findings(session, store_ids, first_day, last_day):
    """The overdue findings and confirmed red lines per store (see STANDARD_FINDINGS)."""
    return _imported(STANDARD_FINDINGS)(session, store_ids, first_day, last_day)


def standard_rating(session, store_ids, last_day) -> dict:
    """The rating's graded self and audit rules and on-site verdict per store (see STANDARD_RATING)."""
    return _imported(STANDARD_RATING)(session, store_ids, last_day)


def template_predicates() -> dict:
    """The TEMPLATE_PREDICATES functions, imported, by name."""
    return {target.partition(":")[2]: _imported(target) for target in TEMPLATE_PREDICATES}
