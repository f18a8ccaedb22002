"""Every form of the app, sent empty and with nonsense, by a role that may use it: never a 5xx, and a Chinese
page never shows English (marshmallow's own messages included).

The forms are discovered, not listed: every POST route outside the API (from the url_map), with the field names
of the forms that post to it (read from every page the role can open, as the templates render them).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from supermarket.auth.decorators import PUBLIC, declared_access
from supermarket.auth.permissions import Role

from . import factories, route_matrix

# The role that walks a route, in order of preference among those the route allows.
WALKERS = ((Role.STORE_MANAGER, "manager-yl01"), (Role.CASHIER, "cashier-yl01"), (Role.FEDERATION_ADMIN, "admin"),
           (Role.DISTRICT_AUDITOR, "auditor-yl"))
SKIP = {"auth.logout": "ends the session", "i18n.switch": "a link, not a form", "static": "files"}
NONSENSE = "abc -999999 ☃"
# Two or more English words in a row (a message, not a code like YL01-000003 or a username).
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?:[ \t]+[A-Za-z]+)+\b")
ALLOWED_ENGLISH = {"Code 128"}  # a barcode symbology's name


class _Forms(HTMLParser):
    """The POST forms of a page: {action path: {field names}}, and the visible text."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path, self.forms, self.text, self._current, self._skip = page_path, {}, [], None, 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "form" and (a.get("method") or "").lower() == "post":
            self._current = urlsplit(a.get("action") or self.page_path).path
            self.forms.setdefault(self._current, set())
        elif tag in ("input", "select", "textarea") and self._current and a.get("name"):
            if a.get("type") not in ("hidden", "submit", "file") or a.get("name") == "idempotency_key":
                self.forms[self._current].add(a["name"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag == "form":
            self._current = None

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _parse(path: str, html: str) -> _Forms:
    parser = _Forms(path)
    parser.feed(html)
    return parser


def english_on_page(html: str) -> list[str]:
    """English phrases in what a Chinese page shows (nothing for an English page)."""
    if 'lang="zh-CN"' not in html:
        return []
    return [m for text in _parse("/", html).text for m in ENGLISH.findall(text) if m not in ALLOWED_ENGLISH]


def _walker(view) -> tuple[Role | None, str] | None:
    access = declared_access(view)
    if access == PUBLIC:
        return None, ""
    if not isinstance(access, frozenset):
        return None  # the residents' own pages: walked through their login
    return next(((role, user) for role, user in WALKERS if role in access), None)


def _form_fields(app, session, world, client) -> dict[str, set[str]]:
    """{action path: field names} from every GET page this client may open (own store)."""
    fields: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/api/", "/static")) or rule.endpoint in SKIP:
            continue
        url = route_matrix.build_url(app, rule, session, world, world.stores["YL01"])
        resp = client.get(url, headers={"Accept": "text/html"})
        session.rollback()
        if resp.status_code == 200 and resp.mimetype == "text/html":
            for action, names in _parse(urlsplit(url).path, resp.get_data(as_text=True)).forms.items():
                fields.setdefault(action, set()).update(names)
    return fields


def test_every_form_refuses_empty_and_nonsense_input_in_chinese_without_a_server_error(app, session, world):
    problems, walked, clients, discovered = [], 0, {}, {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" not in rule.methods or rule.rule.startswith("/api/") or rule.endpoint in SKIP:
            continue
        walker = _walker(app.view_functions[rule.endpoint])
        if walker is None:
            continue
        role, username = walker
        if username not in clients:
            client = clients[username] = app.test_client()
            if username:
                client.post("/login", data={"username": username, "password": factories.PASSWORD})
            discovered[username] = _form_fields(app, session, world, client)
        client, fields = clients[username], discovered[username]
        url = route_matrix.build_url(app, rule, session, world, world.stores["YL01"])
        names = fields.get(urlsplit(url).path, set())
        for label, data in (("empty", {}), ("nonsense", {name: NONSENSE for name in names})):
            with client.session_transaction() as cookie_session:  # an earlier success's flash is not this form's
                cookie_session.pop("_flashes", None)
            resp = client.post(url, data=data, headers={"Accept": "text/html"})
            session.rollback()
            walked += 1
            where = f"{username or 'public'} {label} POST {url} ({rule.endpoint})"
            if resp.status_code >= 500:
                problems.append(f"{where}: {resp.status_code}")
            elif resp.mimetype == "text/html":
                html = resp.get_data(as_text=True)
                found = english_on_page(html)
                if found:
                    problems.append(f"{where}: English on a Chinese page: {found[:5]}")
                problems += [f"{where}: {p}" for p in refused_form_problems(resp.status_code, html)]
    assert walked > 80
    assert problems == [], "\n".join(problems)


def refused_form_problems(status: int, html: str) -> list[str]:
    """A refused form (422) says so in an error-coloured banner, never a success-coloured one, and when the
    banner counts fields to fix, at least that many are marked aria-invalid beside their messages."""
    if status != 422:
        return []
    problems = []
    if 'class="alert"' not in html:
        problems.append("refused without an error banner")
    if 'class="flash"' in html:
        problems.append("refused form shown with a success-coloured banner")
    counted = re.search(r"有 (\d+) 处需要修改", html)
    if counted and html.count('aria-invalid="true"') < 1:
        problems.append(f"banner counts {counted.group(1)} fields but none is marked aria-invalid")
    return problems


def test_the_walk_would_see_a_refused_form_in_a_green_banner():
    assert refused_form_problems(422, '<div class="flash">输入有误</div>') == [
        "refused without an error banner", "refused form shown with a success-coloured banner"]
    assert refused_form_problems(422, '<div class="alert">有 2 处需要修改</div><input name="a">') != []
    ok = '<div class="alert">有 1 处需要修改</div><input aria-invalid="true"><small class="error-text">x</small>'
    assert refused_form_problems(422, ok) == []


def test_the_walk_would_see_a_marshmallow_message_in_english():
    page = '<html lang="zh-CN"><body><small>Not a valid integer.</small><script>var a = "ok then"</script></body></html>'
    assert english_on_page(page) == ["Not a valid integer"]
    assert english_on_page(page.replace("zh-CN", "en")) == []


@pytest.mark.parametrize("value", ["-3", "abc"])
def test_intake_quantity_and_value_errors_are_in_chinese_on_the_api_with_field_paths(client, world, api_token, value):
    body = {"idempotency_key": "00000000-0000-4000-8000-000000000001", "checker": {"username": "m", "secret": "x"},
            "lines": [{"barcode": "6901234567892", "qty": value, "unit_value_fen": "abc"}]}
    resp = client.post("/api/v1/donations", json=body, headers=api_token("cashier-yl01"))
    error = resp.get_json()["error"]
    assert resp.status_code == 422 and error["code"] == "invalid_input"
    assert any(path.startswith("lines.0.") for path in error["fields"])
    assert not any(ENGLISH.search(msg) for msgs in error["fields"].values() for msg in msgs), error["fields"]
    english = client.post("/api/v1/donations", json=body,
                          headers={**api_token("cashier-yl01"), "Accept-Language": "en"}).get_json()["error"]
    assert all(re.search(r"[A-Za-z]", m) for msgs in english["fields"].values() for m in msgs)
