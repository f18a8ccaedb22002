"""Change for charity (消费捐赠): the change, or the round-up to the next yuan, given to a project with the
sale, in the same transaction; counted in the drawer, the project's raised figure and the donation fund,
never in the sales."""
from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from printing.escpos import receipt_escpos
from printing.receipt import receipt_lines
from printing.z_report import z_report_lines
from supermarket.audit.models import AuditEvent
from supermarket.audit.sentences import sentence
from supermarket.disclosure.figures import month_figures
from supermarket.errors import InvalidInput
from supermarket.projects import ledger
from supermarket.projects import service as projects
from supermarket.projects.projects import ProjectInput
from supermarket.sales import checkout, receipts, shifts
from supermarket.sales.donation_models import TillDonation
from supermarket.sales.inputs import Cart, CartLine, DonationOffer, Tendered
from supermarket.sales.models import Payment, Sale, SaleLine
from tests.supermarket.projects.factories import open_project

from .factories import NOW, open_shift, stocked_item


@pytest.fixture
def till(session, world):
    shift = open_shift(session, world, float_fen=10_000)
    item = stocked_item(session, world, qty=20, price_fen=940, name="面包")
    project = open_project(session, world, now=NOW - timedelta(days=1))
    return {"shift": shift, "item": item, "project": project}


def buy(session, world, item, *, given, donation=None, key=None, qty=1, username="cashier-yl01", extra=()):
    actor = world.actor(session, username)
    cart = Cart(idempotency_key=key or uuid.uuid4(), lines=(CartLine(qty=qty, barcode=item.barcode),),
                payments=((Tendered("cash", given),) if given else ()) + tuple(extra), donation=donation)
    return checkout.checkout(session, actor, cart, now=NOW)


def counts(session):
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Sale, SaleLine, Payment, TillDonation))


def test_the_change_goes_to_the_project_with_the_sale(session, world, till):
    sale = buy(session, world, till["item"], given=1000,
               donation=DonationOffer(till["project"].id, 60, "change")).sale
    # The sale is untouched (its payment pays its total); only the change handed back drops.
    assert (sale.total_fen, sale.change_fen) == (940, 0)
    assert [(p.method, p.amount_fen, p.tendered_fen) for p in sale.payments] == [("cash", 940, 1000)]
    gift = session.scalar(select(TillDonation))
    assert (gift.sale_id, gift.shift_id, gift.project_id, gift.amount_fen, gift.kind, gift.method) == (
        sale.id, till["shift"].id, till["project"].id, 60, "change", "cash")
    assert sale.donation.amount_fen == 60
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "sales.change_donated"))
    text = sentence(event)
    assert "¥0.60" in text and "山区小学过冬衣物" in text and sale.number in text


def test_rounding_up_gives_the_fen_to_the_next_yuan_and_keeps_the_rest_of_the_change(session, world, till):
    sale = buy(session, world, till["item"], given=2000,
               donation=DonationOffer(till["project"].id, 60, "round_up")).sale
    assert (sale.total_fen, sale.change_fen) == (940, 1000)


def test_the_drawer_the_project_and_the_fund_count_it_and_the_sales_do_not(session, world, till):
    before = month_figures(session, [world.stores["YL01"].id], date(2026, 11, 1))[world.stores["YL01"].id]
    sale = buy(session, world, till["item"], given=1000, donation=DonationOffer(till["project"].id, 60)).sale
    after = month_figures(session, [world.stores["YL01"].id], date(2026, 11, 1))[world.stores["YL01"].id]
    # float + the 1000 given, none back
    assert shifts.expected_takings(session, till["shift"])["cash"] == 10_000 + 940 + 60
    z = receipts.z_report_data(session, till["shift"])
    assert (z.donation_count, z.donation_fen) == (1, 60)
    assert z.tenders[0].expected_fen == 11_000
    assert any("找零捐赠 1 笔" in line and "¥0.60" in line for line in z_report_lines(z, 48))
    assert ledger.figures(session, [till["project"].id])[till["project"].id].raised_fen == 60
    assert [(r.kind, r.reference, r.amount_fen) for r in ledger.ledger(session, till["project"].id)] == [
        ("till_donation", sale.number, 60)]
    assert after["money_in"]["total_fen"] - before["money_in"]["total_fen"] == 60
    assert after["money_in"]["by_method"].get("cash", 0) - before["money_in"]["by_method"].get("cash", 0) == 60
    assert after["sales"]["total_fen"] - before["sales"]["total_fen"] == 940


def test_the_receipt_prints_the_gift_and_the_project(session, world, till):
    sale = buy(session, world, till["item"], given=1000, donation=DonationOffer(till["project"].id, 60)).sale
    data = receipts.receipt_data(sale)
    text = "\n".join(receipt_lines(data, 48))
    assert "捐赠 ¥0.60 → 山区小学过冬衣物，谢谢您的爱心" in text
    assert text.index("找零") < text.index("捐赠 ¥0.60")
    # The thermal printer gets the same line, in GB18030.
    assert "捐赠 ¥0.60 → 山区小学过冬衣物，谢谢您的爱心".encode("gb18030") in receipt_escpos(data, width_mm=80)


def test_a_replay_lands_the_donation_once(session, world, till):
    key = uuid.uuid4()
    offer = DonationOffer(till["project"].id, 60)
    first = buy(session, world, till["item"], given=1000, donation=offer, key=key)
    again = buy(session, world, till["item"], given=1000, donation=offer, key=key)
    assert again.replayed and again.sale.id == first.sale.id and again.sale.donation.amount_fen == 60
    assert session.scalar(select(func.count()).select_from(TillDonation)) == 1
    assert ledger.figures(session, [till["project"].id])[till["project"].id].raised_fen == 60


def _district_project(session, world, district="YL"):
    actor = world.actor(session, f"auditor-{district.lower()}")
    project = projects.create_project(session, actor, ProjectInput(
        title=f"{district}区助学", purpose="助学", beneficiaries="区内困难学生", target_fen=100_000,
        starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30), level="district"), now=NOW - timedelta(days=1))
    projects.set_status(session, actor, project.id, "open", now=NOW - timedelta(days=1))
    return project


def test_a_project_of_the_stores_district_is_offered_and_accepted(session, world, till):
    mine = _district_project(session, world, "YL")
    _district_project(session, world, "FR")
    from supermarket.sales.donations import projects_for_till

    offered = [p.title for p in projects_for_till(session, world.stores["YL01"].id)]
    assert offered == ["山区小学过冬衣物", "YL区助学"]  # the store's own first: the default
    buy(session, world, till["item"], given=1000, donation=DonationOffer(mine.id, 60))
    assert ledger.figures(session, [mine.id])[mine.id].raised_fen == 60


@pytest.mark.parametrize("case", ["closed", "other_district", "other_store", "unknown", "not_the_change",
                                  "round_up_wrong", "no_change", "negative", "mobile_only"])
def test_bad_donations_are_refused_at_the_field_and_nothing_is_written(session, world, till, case):
    project = till["project"]
    given, extra, offer = 1000, (), None
    if case == "closed":
        project = open_project(session, world, title="已结束的项目", now=NOW - timedelta(days=1))
        projects.set_status(session, world.actor(session, "manager-yl01"), project.id, "closed", now=NOW)
        offer, field = DonationOffer(project.id, 60), "project_id"
    elif case == "other_district":
        offer, field = DonationOffer(_district_project(session, world, "FR").id, 60), "project_id"
    elif case == "other_store":
        offer, field = DonationOffer(open_project(session, world, "YL02", title="别店项目").id, 60), "project_id"
    elif case == "unknown":
        offer, field = DonationOffer(uuid.uuid4(), 60), "project_id"
    elif case == "not_the_change":
        offer, field = DonationOffer(project.id, 50), "amount_fen"
    elif case == "round_up_wrong":
        offer, field = DonationOffer(project.id, 160, "round_up"), "amount_fen"
    elif case == "no_change":
        given, offer, field = 940, DonationOffer(project.id, 60, "round_up"), "amount_fen"
    elif case == "negative":
        offer, field = DonationOffer(project.id, -60), "amount_fen"
    else:  # paid by WeChat: no change to give
        given, extra = 0, (Tendered("wechat", 940, "4200001234"),)
        offer, field = DonationOffer(project.id, 60, "round_up"), "amount_fen"
    before = counts(session)
    with pytest.raises(InvalidInput) as err:
        buy(session, world, till["item"], given=given, donation=offer, extra=extra)
    assert field in err.value.extra["fields"]["donation"]
    message = err.value.extra["fields"]["donation"][field][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert counts(session) == before


def test_the_gift_is_under_the_audit_chain_and_an_edit_is_named(session, world, till):
    from sqlalchemy import text

    from supermarket.audit.rows import verify_rows, vouched_rows
    from tests.factories import sql_id

    buy(session, world, till["item"], given=1000, donation=DonationOffer(till["project"].id, 60))
    gift = session.scalar(select(TillDonation))
    assert ("till_donations", str(gift.id)) in set(vouched_rows(session))
    assert verify_rows(session) == []
    session.execute(text("UPDATE till_donations SET amount_fen = 6000 WHERE id = :id"), {"id": sql_id(gift.id)})
    session.commit()
    assert {(p.table, p.row_id, p.problem) for p in verify_rows(session)} == {
        ("till_donations", str(gift.id), "changed")}


def test_the_sale_page_names_the_gift(session, world, till, login):
    sale = buy(session, world, till["item"], given=1000, donation=DonationOffer(till["project"].id, 60)).sale
    html = login("manager-yl01").get(f"/sales/{sale.id}").get_data(as_text=True)
    assert "顾客将找零 ¥0.60 捐给“山区小学过冬衣物”" in html


def test_the_x_report_shows_the_gifts_apart_from_the_sales(session, world, till, login):
    buy(session, world, till["item"], given=1000, donation=DonationOffer(till["project"].id, 60))
    html = login("cashier-yl01").get("/sales/x-report").get_data(as_text=True)
    assert 'id="x-donations"' in html and "找零捐赠 1 笔" in html and "¥0.60" in html
