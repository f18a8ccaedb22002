"""The flags API pages its list: past 200 flags every one is reached, once, in the board's ranked order, and the
answer says how many match; another district's flags are on no page."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from supermarket.flags import detect
from supermarket.flags.candidates import Candidate
from supermarket.flags.models import Flag
from supermarket.models import utcnow
from supermarket.uow import unit_of_work


def _plant(session, world, code: str, n: int) -> None:
    store = world.stores[code]
    candidates = []
    for i in range(n):
        day = date(2026, 1, 1) + timedelta(days=i)
        c = Candidate("sales.burst", store.id, f"paging:{code}:{i}", day, day)
        c.add_person("user", world.users[f"cashier-{code.lower()}"].id)
        c.add_evidence("sales", f"{code}-{i}", f"sale {i}", None)
        candidates.append(c)
    with unit_of_work(session):
        detect.write(session, candidates, now=utcnow())


def test_more_than_200_flags_are_all_reached_page_by_page(session, world, login):
    _plant(session, world, "YL01", 257)
    _plant(session, world, "FR01", 3)
    client = login("auditor-yl")
    first = client.get("/api/v1/flags").get_json()
    # the default page is the 200 this list used to answer in one go; the rest were silently missing
    assert (first["page"], first["per_page"], first["total"], len(first["flags"])) == (1, 200, 257, 200)
    second = client.get("/api/v1/flags?page=2").get_json()
    assert (second["page"], second["total"], len(second["flags"])) == (2, 257, 57)
    got = [f["id"] for f in first["flags"] + second["flags"]]
    yl01 = {str(i) for i in session.scalars(select(Flag.id).where(Flag.store_id == world.stores["YL01"].id))}
    assert len(got) == len(set(got)) == 257 and set(got) == yl01
    # ranked as the board ranks them: severity, then the oldest period first
    periods = [f["period_start"] for f in first["flags"] + second["flags"]]
    assert periods == sorted(periods)

    small = [client.get(f"/api/v1/flags?per_page=100&page={n}").get_json() for n in (1, 2, 3)]
    assert [len(p["flags"]) for p in small] == [100, 100, 57] and [f["id"] for p in small for f in p["flags"]] == got
    assert {f["store"] for p in small for f in p["flags"]} == {"YL01"}


def test_a_page_size_out_of_range_is_refused_in_the_error_shape(session, world, login):
    client = login("auditor-yl")
    for bad in ("per_page=201", "per_page=0", "page=0", "per_page=abc"):
        resp = client.get(f"/api/v1/flags?{bad}")
        assert resp.status_code == 422, bad
        assert resp.get_json()["error"]["code"] == "invalid_input" and resp.get_json()["error"]["fields"], bad
