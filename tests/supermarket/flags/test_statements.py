"""A detection run issues the same number of statements whatever the number of stores, of kinds found and of
flags written: one query per detector, one INSERT for the flags and one for their people (issue 15, Measure)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from supermarket.auth.permissions import Role
from tests.factories import make_store, make_user
from tests.supermarket.intake.factories import cash, make_donor, make_pledge, take_in
from tests.supermarket.sales.factories import NOW

from .helpers import flags_of, run

RUN_AT = NOW + timedelta(days=41)   # the pledges (due NOW + 10 days) are 31 days overdue, the money 41 days unprinted
SINCE = NOW - timedelta(days=1)


def _more_stores(session, world, n):
    codes = []
    for i in range(n):
        code = f"YL{i + 10:02d}"
        world.stores[code] = make_store(session, world.districts["YL"], code)
        for role, name in ((Role.STORE_MANAGER, "manager"), (Role.CASHIER, "cashier")):
            username = f"{name}-{code.lower()}"
            world.users[username] = make_user(session, username, role, store=world.stores[code], pin="2468")
        codes.append(code)
    return codes


def _plant(session, world, code, *, pledge: bool):
    """A money donation never printed (intake.money_no_receipt) and, when asked, an overdue pledge."""
    take_in(session, world, money=[cash(20000)], code=code, now=NOW)
    if pledge:
        donor = make_donor(session, world, code, name=f"捐赠人{code}", phone=f"1380000{int(code[2:]):04d}")
        make_pledge(session, world, donor, code=code, due=NOW.date() + timedelta(days=10), now=NOW)


@pytest.fixture
def counted(session, monkeypatch):
    """Counts the statements sent; an executemany would be split into pages of two rows, so a writer that
    batches shows up as a count that grows with the rows."""
    engine = session.get_bind()
    monkeypatch.setattr(engine.dialect, "insertmanyvalues_page_size", 2)
    n = {"statements": 0}

    def count(*args):
        n["statements"] += 1

    event.listen(engine, "before_cursor_execute", count)
    yield n
    event.remove(engine, "before_cursor_execute", count)


def _statements(session, counted, store_ids=None):
    counted["statements"] = 0
    raised = run(session, RUN_AT, since=SINCE, store_ids=store_ids)
    return counted["statements"], raised


def test_a_run_over_many_stores_and_kinds_sends_as_many_statements_as_over_one(session, world, counted):
    _plant(session, world, "YL01", pledge=False)
    few, raised = _statements(session, counted)
    assert raised == {"intake.money_no_receipt": 1}

    codes = _more_stores(session, world, 8)
    for code in ("YL02", "FR01", *codes):
        _plant(session, world, code, pledge=True)
    many, raised = _statements(session, counted)
    assert raised == {"intake.money_no_receipt": 10, "intake.pledge_overdue": 10}
    assert len(flags_of(session, "intake.pledge_overdue")) == 10
    assert many == few

    # A scope of a few stores (a district, the bench's 100) costs the same again.
    _plant(session, world, codes[0], pledge=False)
    scoped, raised = _statements(session, counted, store_ids=[world.stores[codes[0]].id, world.stores["YL01"].id])
    assert raised == {"intake.money_no_receipt": 1} and scoped == few
