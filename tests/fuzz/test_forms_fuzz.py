"""Hypothesis fills every form of the app (discovered as tests/test_forms_walk.py does) with arbitrary text —
any Unicode, controls, surrogates' replacements, huge numbers, bidi marks — sent by a role that may use it:
no answer is a 5xx, and a refused Chinese page shows no English.

Bounded: FUZZ_FORM_EXAMPLES per form (default 4), derandomized so a failure reproduces.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories, route_matrix
from tests.test_forms_walk import SKIP, _form_fields, _walker, english_on_page

EXAMPLES = int(os.environ.get("FUZZ_FORM_EXAMPLES", "4"))

VALUES = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.sampled_from(["\u202e", "\u200b", "\ufeff", "\x07", "\r\n", "-0", "1e400", "NaN", "9" * 40, "0x10",
                     "2026-02-30", "１２", "<script>", "' OR 1=1 --"]),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


@pytest.mark.fuzz
def test_arbitrary_form_values_never_get_a_server_error(app, session, world):
    problems, clients, discovered, forms = [], {}, {}, 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" not in rule.methods or rule.rule.startswith("/api/") or rule.endpoint in SKIP:
            continue
        walker = _walker(app.view_functions[rule.endpoint])
        if walker is None:
            continue
        _role, username = walker
        if username not in clients:
            client = clients[username] = app.test_client()
            if username:
                client.post("/login", data={"username": username, "password": factories.PASSWORD})
            discovered[username] = _form_fields(app, session, world, client)
        client = clients[username]
        url = route_matrix.build_url(app, rule, session, world, world.stores["YL01"])
        names = sorted(discovered[username].get(urlsplit(url).path, set()))
        if not names:
            continue
        forms += 1

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(data=st.fixed_dictionaries({}, optional={name: VALUES for name in names}))
        def post(data):
            resp = client.post(url, data=data, headers={"Accept": "text/html"})
            session.rollback()
            where = f"{username or 'public'} POST {url} ({rule.endpoint}) {data!r}"
            assert resp.status_code < 500, where
            if resp.status_code >= 400 and resp.mimetype == "text/html":
                found = english_on_page(resp.get_data(as_text=True))
                assert not found, f"{where}: English on a Chinese page: {found[:5]}"

        try:
            post()
        except KeyboardInterrupt:
            raise
        except BaseException as e:  # noqa: B036  (collect every form's failure, not just the first)
            problems.append(str(e)[:1200])
    assert forms > 30
    assert problems == []
