"""What a district auditor must be able to read, read-only: the sales and shift lists and details, Z reports,
donations, stocktakes, write-offs, transfers, aid and points of their district's stores; never another district's,
and no action of those domains, neither its button nor its request."""
from __future__ import annotations

import re

from tests.route_matrix import build_url, store_dependent


READS = [
    "sales.sales_list", "sales.shift_list", "sales.sale_detail", "sales.shift_detail", "api.sales.z_report_pdf",
    "intake.donations", "intake.donation", "intake.donor_list", "intake.pledge_list",
    "inventory.stock", "inventory.stocktake_list", "inventory.stocktake", "inventory.write_off_list",
    "inventory.write_off_detail", "inventory.transfer_list", "inventory.transfer_detail",
    "aid.distributions", "aid.distribution", "aid.households", "aid.household", "aid.campaigns",
    "points.staff.home", "points.staff.resident", "points.credits.queue", "points.admin.overview",
    "audit.events",
]
ACTION_DOMAINS = ("sales.", "intake.", "inventory.", "aid.", "points.", "api.sales.", "api.intake.",
                  "api.inventory.", "api.aid.", "api.points.")
# Forms every page has (the language switch, signing out), searches that post, and the auditor's own check of
# the audit chain: not actions on the stores' records.
HARMLESS_FORMS = ("/logout", "/language", "/lang", 'action="/aid/households"', 'action="/audit/verify"')
# POST routes that only read, each with its reason.
READ_POSTS = {"aid.households": "the search posts, so a typed ID number never lands in a URL"}
# The residents' own pages (points.me.*): a resident's login, not staff's; auditors have no resident session.
NOT_STAFF = ("points.me.",)
# Pages that show and post one form: a valid body, so the refusal tested is the permission, not the input.
VALID_BODIES = {"inventory.store_settings": {"write_off_approval_yuan": "100", "low_stock_qty": "3"},
                "inventory.period_closes": {"month": "2026-10"}, "inventory.stocktake_list": {"scope": "all"}}


def _rules(app, endpoint):
    return [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]


def _action_forms(html: str) -> list[str]:
    forms = re.findall(r'<form[^>]*method="post"[^>]*>', html, re.I)
    return [f for f in forms if not any(h in f for h in HARMLESS_FORMS)]


def test_an_auditor_reads_every_page_of_their_district_without_an_action(app, session, world, login):
    client = login("auditor-yl")
    yl01, fr01 = world.stores["YL01"], world.stores["FR01"]
    for endpoint in READS:
        (rule,) = [r for r in _rules(app, endpoint) if "GET" in r.methods]
        url = build_url(app, rule, session, world, yl01)
        resp = client.get(url, headers={"Accept": "text/html"}, follow_redirects=True)
        if endpoint == "api.sales.z_report_pdf":
            # The open shift has no Z report yet: a clear refusal, never a server error.
            assert resp.status_code in (200, 409, 422), (url, resp.status_code)
            continue
        assert resp.status_code == 200, (endpoint, url, resp.status_code)
        if resp.mimetype == "text/html":
            forms = _action_forms(resp.get_data(as_text=True))
            assert not forms, (endpoint, forms)
            assert "门店标记FR01" not in resp.get_data(as_text=True), endpoint
        if store_dependent(rule):
            foreign = build_url(app, rule, session, world, fr01)
            assert client.get(foreign).status_code in (403, 404), (endpoint, foreign)


def test_every_action_of_those_domains_is_refused_to_an_auditor(app, session, world, login):
    client = login("auditor-yl")
    yl01 = world.stores["YL01"]
    tried = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith(ACTION_DOMAINS) or "POST" not in rule.methods or rule.endpoint in READ_POSTS \
                or rule.endpoint.startswith(NOT_STAFF):
            continue
        url = build_url(app, rule, session, world, yl01)
        body = VALID_BODIES.get(rule.endpoint, {})
        resp = client.post(url, json=body) if url.startswith("/api/") else client.post(url, data=body)
        tried += 1
        assert resp.status_code in (403, 404), (rule.endpoint, url, resp.status_code)
        session.rollback()
    assert tried > 30
