"""/dashboard by route × role: who sees which scope, bad periods and scopes answer a Chinese error and leak
nothing, and each table downloads as CSV (BOM) and xlsx (typed cells)."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from . import fixture

Q = "period=month&month=2026-11"


@pytest.fixture
def city(session, world):
    fixture.build(session, world)
    return world


@pytest.mark.parametrize("username, status, scope_text", [
    ("admin", 200, "全市"), ("auditor-yl", 200, "岳麓区"), ("auditor-fr", 200, "芙蓉区"),
    ("manager-yl01", 200, "门店标记YL01"), ("cashier-yl01", 403, None)])
def test_who_sees_which_dashboard(client, login, city, username, status, scope_text):
    login(username)
    resp = client.get(f"/dashboard?{Q}")
    assert resp.status_code == status
    if scope_text:
        assert scope_text in resp.get_data(as_text=True)


@pytest.mark.parametrize("username, query, status", [
    ("auditor-yl", "store=FR01", 404), ("auditor-yl", "district=FR", 404), ("auditor-yl", "store=YL02", 200),
    ("manager-yl01", "store=YL02", 404), ("manager-yl01", "district=YL", 200), ("admin", "store=NOPE", 404),
    ("admin", "district=NOPE", 404), ("admin", "store=FR02", 200), ("admin", "district=FR", 200)])
def test_scope_is_enforced(client, login, city, username, query, status):
    login(username)
    resp = client.get(f"/dashboard?{Q}&{query}")
    assert resp.status_code == status
    body = resp.get_data(as_text=True)
    if status == 404:
        assert "找不到该门店或区县" in body and "门店标记FR01" not in body


def test_a_manager_asking_for_the_district_still_sees_only_the_store(client, login, city):
    login("manager-yl01")
    body = client.get(f"/dashboard?{Q}&district=YL").get_data(as_text=True)
    assert "门店标记YL02" not in body and "门店标记YL01" in body


@pytest.mark.parametrize("query, message", [
    ("period=custom&start=2026-11-10&end=2026-11-01", "结束日期早于开始日期"),
    ("period=custom&start=2020-01-01&end=2026-11-01", "统计期间不能超过五年"),
    ("period=month&month=2026-13", "月份格式应为 YYYY-MM"),
    ("period=quarter&quarter=2026-Q5", "季度格式"),
    ("period=decade", "期间类型须为"),
    ("period=custom&start=abc&end=2026-11-01", "日期格式应为"),
])
def test_bad_periods_answer_a_chinese_error_beside_the_field(client, login, city, query, message):
    login("auditor-yl")
    resp = client.get(f"/dashboard?{query}")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and message in body and 'aria-invalid="true"' in body
    assert "门店标记YL01" not in body


def test_csv_export_has_a_bom_and_the_screen_rows(client, login, city):
    login("auditor-yl")
    resp = client.get(f"/dashboard?{Q}&format=csv&table=income")
    assert resp.status_code == 200 and resp.data.startswith("\ufeff".encode())
    lines = resp.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("门店,销售收入")
    assert lines[1].startswith("YL01 门店标记YL01,10.00,0.00,10.00") and lines[2].startswith("YL02 门店标记YL02,9.00,9.00")


def test_xlsx_export_has_typed_cells(client, login, city):
    login("admin")
    resp = client.get(f"/dashboard?{Q}&format=xlsx&table=tills&district=YL")
    ws = load_workbook(io.BytesIO(resp.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "门店" and ws.freeze_panes == "A2" and ws.auto_filter.ref
    yl01 = next(r for r in rows if r[0].startswith("YL01"))
    header = list(rows[0])
    assert yl01[header.index("作废率")] == 50.0 and yl01[header.index("现金差异合计")] == 10.0
    assert isinstance(yl01[header.index("销售笔数")], int)
    cell = ws.cell(row=2, column=header.index("现金差异合计") + 1)
    assert cell.number_format == "#,##0.00"


def test_export_outside_scope_or_unknown_table_leaks_nothing(client, login, city):
    login("auditor-yl")
    assert client.get(f"/dashboard?{Q}&format=csv&table=income&store=FR01").status_code == 404
    resp = client.get(f"/dashboard?{Q}&format=csv&table=nope")
    assert resp.status_code == 422 and "没有这张表" in resp.get_data(as_text=True)
    assert client.get(f"/dashboard?{Q}&format=pdf&table=income").status_code == 422


def test_the_page_charts_with_vendored_echarts_and_lists_alerts(client, login, city):
    login("auditor-fr")
    body = client.get(f"/dashboard?{Q}").get_data(as_text=True)
    assert "vendor/echarts/echarts.min.js" in body and 'class="chart-data"' in body
    assert "今日预警" in body and "尚未开班的门店" in body
    assert "/dashboard?" in body and "store=FR01" in body  # a store's row links to its dashboard


def test_oversight_lands_on_the_dashboard(client, login, city):
    login("auditor-yl")
    assert client.get("/").location.endswith("/dashboard")


def test_the_store_tables_export_each_row_in_its_own_kind(client, login, city):
    login("manager-fr01")
    resp = client.get(f"/dashboard?{Q}&format=xlsx&table=vs_median")
    ws = load_workbook(io.BytesIO(resp.data)).active
    rows = {r[0]: r for r in ws.iter_rows(values_only=True)}
    assert rows["发放价值"][1:] == (60.0, 30.0)   # money in yuan
    assert rows["受助户数"][1:] == (1, 0.5)       # counts as they are (the median of 1 and 0)
    csv = client.get(f"/dashboard?{Q}&format=csv&table=money").data.decode("utf-8-sig").splitlines()
    assert csv == ["方式,金额", "现金,50.00"]


def test_the_pages_the_dashboard_replaced_stay_one_click_away(client, login, city):
    login("admin")
    body = client.get(f"/dashboard?{Q}").get_data(as_text=True)
    assert 'href="/federation"' in body and 'id="jobs-behind"' in body  # no job has ever run in the fixture
    client.post("/logout")
    login("auditor-yl")
    body = client.get(f"/dashboard?{Q}").get_data(as_text=True)
    assert f'href="/districts/{city.districts["YL"].id}"' in body
