"""The monthly close: figures equal the hand-computed ones (SQLite and PostgreSQL), and the close's rules."""
import json

import pytest

from supermarket.disclosure import figures, service
from supermarket.disclosure.errors import (AlreadyClosed, FiguresChanged, NotReviewable, PreviousMonthOpen,
                                           ReasonRequired,
                                           StockPeriodOpen)
from supermarket.errors import Forbidden, InvalidInput, NotFound
from tests.factories import SYSTEM
from .factories import AFTER, EXPECTED, LATE, MONTH, close_stock, october


def manager(session, world, code="YL01"):
    return world.actor(session, f"manager-{code.lower()}")


def test_the_month_equals_the_hand_computed_figures(session, world):
    october(session, world)
    got = figures.month_figures(session, [world.stores["YL01"].id, world.stores["YL02"].id], MONTH)
    assert got[world.stores["YL01"].id] == EXPECTED
    assert got[world.stores["YL02"].id] == figures.empty_figures()


@pytest.mark.pg
def test_the_month_equals_the_hand_computed_figures_on_postgresql(session, world):
    october(session, world)
    assert figures.month_figures(session, [world.stores["YL01"].id], MONTH)[world.stores["YL01"].id] == EXPECTED


def test_close_freezes_the_figures_with_the_chain_head(session, world):
    october(session, world)
    close_stock(session, world)
    store = world.stores["YL01"]
    seen = service.preview(session, manager(session, world), store.id, MONTH)
    from supermarket.audit.models import AuditChainHead
    head = session.get(AuditChainHead, str(store.id))
    before = (head.seq, head.hash)
    row = service.close_month(session, manager(session, world), store.id, MONTH, now=AFTER,
                              expected_sha256=seen.figures_sha256)
    assert json.loads(row.figures) == EXPECTED
    assert (row.version, row.status, row.review_status) == (1, "published", "pending")
    assert (row.chain_event_count, row.chain_head_hash) == before
    assert row.due_on.isoformat() == "2026-11-10"
    assert row.figures_sha256 == figures.digest(EXPECTED)


def test_close_refuses_an_open_stock_period_a_second_close_and_a_skipped_month(session, world):
    october(session, world)
    store = world.stores["YL01"]
    with pytest.raises(StockPeriodOpen):
        service.close_month(session, manager(session, world), store.id, MONTH, now=AFTER)
    close_stock(session, world)
    service.close_month(session, manager(session, world), store.id, MONTH, now=AFTER)
    with pytest.raises(AlreadyClosed):
        service.close_month(session, manager(session, world), store.id, MONTH, now=AFTER)
    # December (skipping November) is refused even once its stock is closed.
    from datetime import date, datetime, timezone
    later = datetime(2027, 1, 5, 3, 0, tzinfo=timezone.utc)
    close_stock(session, world, month=date(2026, 11, 1), now=later)
    close_stock(session, world, month=date(2026, 12, 1), now=later)
    with pytest.raises(PreviousMonthOpen):
        service.close_month(session, manager(session, world), store.id, date(2026, 12, 1), now=later)
    service.close_month(session, manager(session, world), store.id, date(2026, 11, 1), now=later)
    assert service.close_month(session, manager(session, world), store.id, date(2026, 12, 1), now=later).version == 1


def test_a_month_not_over_is_refused(session, world):
    from datetime import datetime, timezone
    with pytest.raises(InvalidInput):
        service.close_month(session, manager(session, world), world.stores["YL01"].id, MONTH,
                            now=datetime(2026, 10, 30, tzinfo=timezone.utc))


def test_figures_that_moved_since_the_preview_are_refused(session, world):
    october(session, world)
    close_stock(session, world)
    with pytest.raises(FiguresChanged):
        service.close_month(session, manager(session, world), world.stores["YL01"].id, MONTH, now=AFTER,
                            expected_sha256="0" * 64)


def test_only_the_stores_manager_closes_and_other_stores_are_not_found(session, world):
    october(session, world)
    close_stock(session, world)
    with pytest.raises(Forbidden):
        service.close_month(session, world.actor(session, "cashier-yl01"), world.stores["YL01"].id, MONTH, now=AFTER)
    with pytest.raises(NotFound):
        service.close_month(session, manager(session, world, "FR01"), world.stores["YL01"].id, MONTH, now=AFTER)


def test_a_correction_is_a_new_version_and_the_old_one_stays_superseded(session, world):
    parts = october(session, world)
    close_stock(session, world)
    store = world.stores["YL01"]
    v1 = service.close_month(session, manager(session, world), store.id, MONTH, now=AFTER)
    with pytest.raises(ReasonRequired):
        service.correct(session, manager(session, world), v1.id, "  ", now=LATE)
    # A money donation recorded late but dated in the month (its fund entry is not a stock movement).
    from supermarket.intake.models import DonationFundEntry
    entry = session.query(DonationFundEntry).filter_by(donation_id=parts["d2"].donation.id).one()
    session.add(DonationFundEntry(store_id=store.id, occurred_at=entry.occurred_at, amount_fen=1000,
                                  kind=entry.kind, method="alipay", donation_id=entry.donation_id,
                                  money_line_id=entry.money_line_id, actor_name="x"))
    session.commit()
    v2 = service.correct(session, manager(session, world), v1.id, "补录一笔支付宝捐款", now=LATE)
    session.refresh(v1)
    assert (v1.status, v2.status, v2.version, v2.supersedes_id) == ("superseded", "published", 2, v1.id)
    assert json.loads(v2.changes) == ["money_in.by_method.alipay", "money_in.total_fen"]
    assert [v.version for v in service.versions(session, store.id, MONTH)] == [2, 1]
    with pytest.raises(NotReviewable):
        service.correct(session, manager(session, world), v1.id, "again", now=LATE)


def test_the_auditor_accepts_or_returns_with_a_note_and_lateness_shows(session, world):
    october(session, world)
    close_stock(session, world)
    store = world.stores["YL01"]
    v1 = service.close_month(session, manager(session, world), store.id, MONTH, now=LATE)
    auditor = world.actor(session, "auditor-yl")
    with pytest.raises(InvalidInput):
        service.review(session, auditor, v1.id, accept=False, note="", now=LATE)
    service.review(session, auditor, v1.id, accept=False, note="请补充活动说明", now=LATE)
    assert (v1.review_status, v1.review_note) == ("returned", "请补充活动说明")
    with pytest.raises(NotFound):
        service.review(session, world.actor(session, "auditor-fr"), v1.id, accept=True, now=LATE)
    cal = {r.store.code: r for r in service.calendar(session, auditor, MONTH)}
    assert set(cal) == {"YL01", "YL02"}
    assert cal["YL01"].late and not cal["YL02"].late and cal["YL02"].overdue(LATE.date())
    assert service.lateness(session, MONTH, [store.id]) == {store.id: (LATE.date(), False)}


def test_the_batch_closes_every_store_that_may_close(session, world):
    october(session, world)
    close_stock(session, world)
    result = service.close_months(session, SYSTEM, MONTH, now=AFTER)
    assert [r.store_id for r in result.closed] == [world.stores["YL01"].id]
    assert json.loads(result.closed[0].figures) == EXPECTED
    assert {type(e) for e in result.refused.values()} == {StockPeriodOpen}


def test_changed_figures_are_named_in_words(app):
    from supermarket.disclosure.present import change_label
    assert change_label("money_in.by_method.alipay") == "捐赠款项 · 支付宝"
    assert change_label("write_offs.by_reason.expired.units") == "报损 · 过期 · 件数"
    assert change_label("sales.total_fen") == "销售收入 · 合计"
