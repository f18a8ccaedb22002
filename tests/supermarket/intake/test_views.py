"""Intake pages: render for each role, forms redisplay Chinese errors, money and pledges through the forms."""
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from supermarket.intake.models import Donation, Donor, Pledge, PledgeFollowUp
from supermarket.models import utcnow
from supermarket.stores.service import today_figures
from tests.supermarket.catalog.factories import make_item

from .factories import cash, line, make_donor, make_pledge, take_in


def test_pages_render_for_store_staff_and_oversight(client, login, session, world):
    item = make_item(session, "毛巾", kind="donated_new")
    donor = make_donor(session, world, name="张三明", phone="13812345678")
    d = take_in(session, world, [line(item)], donor=donor, now=utcnow()).donation
    pledge = make_pledge(session, world, donor, now=utcnow())
    login("cashier-yl01")
    for url in ("/intake/new", "/intake/money/new", "/intake/donations", f"/intake/donations/{d.id}",
                "/intake/donors", "/intake/donors/new", f"/intake/donors/{donor.id}", "/intake/pledges",
                "/intake/pledges/new", f"/intake/pledges/{pledge.id}", "/intake/report"):
        r = client.get(url)
        assert r.status_code == 200, url
    assert "张三明 · 未兑现 ¥1,000.00" in client.get("/intake/new").get_data(as_text=True)  # pledge to fulfil
    page = client.get(f"/intake/donations/{d.id}").get_data(as_text=True)
    assert d.serial in page and "张三明" in page and "打印捐赠收据" in page and "40×30" in page
    assert "13812345678" in client.get(f"/intake/donors/{donor.id}").get_data(as_text=True)
    home = client.get(f"/stores/{world.stores['YL01'].id}").get_data(as_text=True)
    assert "今日接收捐赠" in home and "接收捐赠" in home
    client.post("/logout")
    login("auditor-yl")
    page = client.get(f"/intake/donors/{donor.id}").get_data(as_text=True)
    assert "138****5678" in page and "13812345678" not in page and "张*明" in page
    assert client.get("/intake/new").status_code == 403
    assert client.get(f"/intake/report?store_id={world.stores['YL02'].id}").status_code == 200
    assert client.get(f"/intake/report?store_id={world.stores['FR01'].id}").status_code == 404
    assert client.get("/intake/report?month=2026-13").status_code == 422


def test_money_form_records_a_donation_and_redisplays_errors(client, login, session, world):
    login("cashier-yl01")
    key = str(uuid.uuid4())
    form = {"idempotency_key": key, "anonymous": "on", "method": "wechat", "amount": "1,200.50", "reference": "",
            "checker_username": "manager-yl01", "checker_password": "2468"}
    r = client.post("/intake/money/new", data=form)
    assert r.status_code == 422 and "交易单号" in r.get_data(as_text=True)
    r = client.post("/intake/money/new", data={**form, "amount": "12.345"})
    assert r.status_code == 422 and "请输入金额" in r.get_data(as_text=True)
    r = client.post("/intake/money/new", data={**form, "reference": "4200001"})
    assert r.status_code == 302
    d = session.scalar(select(Donation))
    assert (d.money_fen, d.anonymous) == (120050, True)
    assert client.post("/intake/money/new", data={**form, "reference": "4200001"}).status_code == 302  # replay
    assert session.scalar(select(func.count()).select_from(Donation)) == 1
    page = client.get(r.location).get_data(as_text=True)
    assert "已保存" in page and "¥1,200.50" in page


def test_donor_and_pledge_forms(client, login, session, world):
    login("cashier-yl01")
    r = client.post("/intake/donors/new", data={"kind": "person", "name": "", "phone": "x"})
    assert r.status_code == 422
    r = client.post("/intake/donors/new", data={"kind": "person", "name": "李秀英", "phone": "13907310002"})
    assert r.status_code == 302
    donor = session.scalar(select(Donor))
    due = (utcnow() + timedelta(days=10)).date().isoformat()
    r = client.post("/intake/pledges/new", data={"donor_id": str(donor.id), "kind": "money", "amount": "0",
                                                 "due_date": due})
    assert r.status_code == 422 and "金额" in r.get_data(as_text=True)
    r = client.post("/intake/pledges/new", data={"donor_id": str(donor.id), "kind": "money", "amount": "500",
                                                 "due_date": due})
    assert r.status_code == 302
    pledge = session.scalar(select(Pledge))
    assert pledge.amount_fen == 50000
    r = client.post(f"/intake/pledges/{pledge.id}/follow-ups", data={"note": ""})
    assert r.status_code == 422
    r = client.post(f"/intake/pledges/{pledge.id}/follow-ups", data={"note": "已电话提醒"})
    assert r.status_code == 302 and session.scalar(select(PledgeFollowUp)).note == "已电话提醒"
    assert client.post(f"/intake/pledges/{pledge.id}/cancel", data={"reason": "撤回"}).status_code == 403
    client.post("/logout")
    login("manager-yl01")
    assert client.post(f"/intake/pledges/{pledge.id}/cancel", data={"reason": ""}).status_code == 422
    assert client.post(f"/intake/pledges/{pledge.id}/cancel", data={"reason": "捐赠人撤回"}).status_code == 302
    session.refresh(pledge)
    assert pledge.status == "cancelled"


def test_report_counts_value_by_category_and_money_by_method(client, login, session, world):
    item = make_item(session, "毛巾", kind="donated_new")
    now = utcnow()
    take_in(session, world, [line(item, qty=3, value=1000)], money=[cash(5000), cash(2000, "alipay", "A1")], now=now)
    take_in(session, world, [line(item, qty=1, value=0, basis="unvalued")], now=now)
    from supermarket.intake.report import monthly_report

    r = monthly_report(session, world.actor(session, "manager-yl01"), world.stores["YL01"].id, now.date())
    assert (r.donations, r.goods_value_fen, r.money_fen, r.units, r.unvalued_lines) == (2, 3000, 7000, 4, 1)
    assert [(c.name, c.units, c.value_fen) for c in r.by_category] == [("日用品", 4, 3000)]
    assert [(m.method, m.count, m.amount_fen) for m in r.by_method] == [("alipay", 1, 2000), ("cash", 1, 5000)]
    figures = today_figures(session, world.actor(session, "cashier-yl01"), world.stores["YL01"].id, now=now)
    assert ("今日接收捐赠", "2 笔") in [(f.label, f.value) for f in figures]
    login("manager-yl01")
    page = client.get("/intake/report").get_data(as_text=True)
    assert "支付宝" in page and "¥30.00" in page
