"""Security headers on every response of every route (pages, API, files, errors, redirects), and no page relies on
inline script or style the policy would block."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from supermarket import create_app
from supermarket.extensions import db
from supermarket.security_headers import PAGE_POLICY
from tests import factories, route_matrix


class _Inline(HTMLParser):
    """What a strict CSP blocks on a page: inline scripts, <style>, style="", on* handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not a.get("src") and a.get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style":
                self.found.append(f'style="{value}" on <{tag}>')
            elif name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}>")


def inline_in(html: str) -> list[str]:
    parser = _Inline()
    parser.feed(html)
    return parser.found


def header_problems(resp, where: str) -> list[str]:
    h = resp.headers
    problems = []
    csp = h.get("Content-Security-Policy", "")
    if resp.mimetype == "application/pdf":
        if "frame-ancestors 'self'" not in csp or h.get("X-Frame-Options") != "SAMEORIGIN":
            problems.append(f"{where}: PDF framing {csp!r} {h.get('X-Frame-Options')!r}")
    elif "frame-ancestors 'none'" not in csp or h.get("X-Frame-Options") != "DENY":
        problems.append(f"{where}: framing {csp!r} {h.get('X-Frame-Options')!r}")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"{where}: unsafe CSP {csp!r}")
    if resp.mimetype == "text/html" and "script-src 'self'" not in csp:
        problems.append(f"{where}: page without script-src {csp!r}")
    if h.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{where}: nosniff missing")
    # no-referrer is stricter: the donation trace page's URL carries its token and must not leave even for us.
    if h.get("Referrer-Policy") not in ("same-origin", "no-referrer"):
        problems.append(f"{where}: Referrer-Policy {h.get('Referrer-Policy')!r}")
    if "Strict-Transport-Security" in h:
        problems.append(f"{where}: HSTS outside production")
    return problems


@pytest.mark.parametrize("username", ["", "manager-yl01", "admin"])
def test_every_route_answers_with_the_security_headers_and_no_inline_code(app, session, world, username):
    client = app.test_client()
    if username:
        client.post("/login", data={"username": username, "password": factories.PASSWORD})
    problems, seen = [], 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "auth.logout":
            continue
        url = "/static/app.js" if rule.endpoint == "static" else \
            route_matrix.build_url(app, rule, session, world, world.stores["YL01"])
        for method in sorted(rule.methods & {"GET", "POST"}):
            if method == "POST" and rule.endpoint in ("i18n.switch",):
                continue
            resp = client.open(url, method=method, headers={"Accept": "text/html"})
            session.rollback()
            seen += 1
            where = f"{username or 'anonymous'} {method} {url} [{resp.status_code}]"
            problems += header_problems(resp, where)
            if resp.mimetype == "text/html":
                problems += [f"{where}: {found}" for found in inline_in(resp.get_data(as_text=True))]
            resp.close()
    assert seen > 150
    assert problems == []


def test_api_errors_and_unknown_paths_carry_them_too(client, world):
    for resp in (client.get("/no/such/page"), client.post("/api/v1/auth/token", json={}),
                 client.get("/api/v1/openapi.json"), client.get("/healthz")):
        assert header_problems(resp, resp.request.path) == []


def test_the_checker_sees_inline_code():
    page = ('<p style="color:red" onclick="x()"><a href="javascript:alert(1)">a</a></p><style>p{}</style>'
            '<script>alert(1)</script><script type="application/json">{}</script><script src="/s.js"></script>')
    assert len(inline_in(page)) == 5


def test_hsts_in_production_only(app):
    prod = create_app("config.TestConfig", ENV_NAME="production", SECRET_KEY="s" * 40, PII_HASH_KEY="p" * 40,
                      RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0")
    resp = prod.test_client().get("/healthz")
    with prod.app_context():
        db.engine.dispose()  # its own pool: closed here, not left to the garbage collector
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in app.test_client().get("/healthz").headers
    assert "default-src 'self'" in PAGE_POLICY and "frame-ancestors 'none'" in PAGE_POLICY
