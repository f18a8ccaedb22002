"""The central check's pages: each role sees its own scope (another district's store is a 404, as if it did not
exist), the grid shows grades as letters, the N/A form and the draft editor show their errors beside the field."""
from __future__ import annotations

import re

import pytest

from supermarket.standards import service
from supermarket.standards.models import NotApplicable, StandardVersion
from tests.supermarket.standards.fixture import build


@pytest.fixture
def scored(session, world):
    build(session, world)
    return world


def _grid_stores(html: str) -> list[str]:
    return re.findall(r'<th class="sticky" scope="row"><a href="/compliance/stores/([A-Z0-9]+)"', html)


@pytest.mark.parametrize("username, stores", [
    ("admin", ["FR01", "YL01", "YL02"]),
    ("auditor-yl", ["YL01", "YL02"]),
    ("auditor-fr", ["FR01"]),
    ("manager-yl01", ["YL01"]),
])
def test_the_board_shows_the_actors_scope(client, login, scored, username, stores):
    login(username)
    html = client.get("/compliance").get_data(as_text=True)
    assert sorted(_grid_stores(html)) == stores
    assert "星级分布" in html and 'class="legend"' in html


def test_a_cashier_has_no_board(client, login, scored):
    login("cashier-yl01")
    assert client.get("/compliance").status_code == 403
    assert client.get("/compliance/stores/YL01").status_code == 403


@pytest.mark.parametrize("username, url", [
    ("auditor-fr", "/compliance/stores/YL01"),
    ("auditor-fr", "/compliance/stores/YL01/rules/F-02"),
    ("auditor-yl", "/compliance/stores/FR01"),
    ("manager-yl01", "/compliance/stores/YL02"),
    ("manager-yl01", "/compliance/stores/YL02/rules/A-02"),
    ("admin", "/compliance/stores/NOPE"),
    ("admin", "/compliance/stores/YL01/rules/Z-99"),
    ("auditor-fr", "/compliance?district=YL"),
])
def test_outside_the_scope_is_not_found(client, login, scored, username, url):
    login(username)
    assert client.get(url).status_code == 404


def test_the_grid_filters_by_rule_and_marks_grades_with_letters(client, login, scored):
    login("admin")
    html = client.get("/compliance?rule=F-02").get_data(as_text=True)
    assert sorted(_grid_stores(html)) == ["FR01", "YL01", "YL02"]  # none reconciled a shift: all below A
    cell = re.search(r'<td class="cell (g-[a-z]+) picked"><a href="/compliance/stores/YL01/rules/F-02"[^>]*>(\w)</a>',
                     html)
    assert cell and cell.groups() == ("g-d", "D")  # colour and letter
    html = client.get("/compliance?rule=S-01").get_data(as_text=True)
    assert _grid_stores(html) == [] and "没有符合条件的门店" in html  # nobody sold expired food: all A


def test_a_bad_filter_is_said_in_chinese_and_the_board_still_shows(client, login, scored):
    login("admin")
    r = client.get("/compliance?stars=9")
    assert r.status_code == 200 and "星级须为 0 到 5" in r.get_data(as_text=True)
    assert client.get("/compliance?sort=bogus").status_code == 422


def test_the_store_card_and_the_rule_page_link_each_exception_to_its_document(client, login, scored):
    login("auditor-yl")
    card = client.get("/compliance/stores/YL01").get_data(as_text=True)
    assert 'id="card-total"' in card and "下一星级" in card and "F-02" in card
    page = client.get("/compliance/stores/YL01/rules/F-02").get_data(as_text=True)
    links = re.findall(r'<td><a href="([^"]+)">', page)
    assert links and links[0].startswith("/sales/shifts/")
    assert client.get(links[0]).status_code == 200


def test_the_na_form_needs_a_reason_beside_the_field(client, login, scored, session):
    login("auditor-yl")
    r = client.post("/compliance/stores/YL01/rules/D-03", data={"reason": "  "})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert re.search(r'<textarea name="reason"[^>]*aria-invalid="true"', html)
    assert '<small class="error-text">请写明不适用的理由</small>' in html
    assert session.query(NotApplicable).count() == 0
    r = client.post("/compliance/stores/YL01/rules/D-03", data={"reason": "本店不接收现金捐赠"})
    assert r.status_code == 302
    page = client.get("/compliance/stores/YL01/rules/D-03").get_data(as_text=True)
    assert "已认定不适用：本店不接收现金捐赠" in page
    card = client.get("/compliance/stores/YL01").get_data(as_text=True)
    assert "不适用：本店不接收现金捐赠" in card
    assert client.post("/compliance/stores/YL01/rules/D-03", data={"action": "clear"}).status_code == 302
    assert session.query(NotApplicable).count() == 0


def test_a_store_manager_cannot_mark_na_and_another_district_cannot_either(client, login, scored, session):
    login("manager-yl01")
    assert client.post("/compliance/stores/YL01/rules/D-03", data={"reason": "x"}).status_code == 403
    client.post("/logout")
    login("auditor-fr")
    assert client.post("/compliance/stores/YL01/rules/D-03", data={"reason": "x"}).status_code == 404
    assert session.query(NotApplicable).count() == 0


def test_the_draft_editor_shows_each_error_beside_its_field_and_writes_nothing(client, login, scored, session):
    login("admin")
    assert client.get("/standards/draft").status_code == 200
    before = session.query(StandardVersion).filter_by(status="draft").one().body
    r = client.post("/standards/draft", data={"categories.C.weight": "20", "rules.D-02.thresholds.A": "0.5",
                                              "rules.D-02.thresholds.B": "0.9", "rules.D-02.thresholds.C": "0.95",
                                              "stars.3.min_total": "abc"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "各类别权重之和须为 100" in html
    assert re.search(r'name="rules.D-02.thresholds.A" value="0.5"', html)  # what was typed stays
    assert "阈值须按 A ≥ B ≥ C 排列" in html
    assert re.search(r'name="stars.3.min_total" value="abc"[^>]*aria-invalid="true"', html)
    session.expire_all()
    assert session.query(StandardVersion).filter_by(status="draft").one().body == before


def test_the_draft_is_saved_and_published_as_a_new_version(client, login, scored, session):
    login("admin")
    client.get("/standards/draft")
    r = client.post("/standards/draft", data={"rules.C-03.name_zh": "固定开放时间（修订）"})
    assert r.status_code == 302
    r = client.post("/standards/draft/publish")
    assert r.status_code == 302 and r.location.endswith("/standards/current")
    page = client.get("/standards/current").get_data(as_text=True)
    assert "现行标准：第 2 版" in page and "固定开放时间（修订）" in page


@pytest.mark.parametrize("username", ["auditor-yl", "manager-yl01"])
def test_only_the_federation_edits_the_standard(client, login, scored, username):
    login(username)
    assert client.get("/standards/current").status_code == 200
    assert client.get("/standards/draft").status_code == 403
    assert client.post("/standards/draft/publish").status_code == 403


def test_the_store_home_shows_its_provisional_star_and_three_gaps(client, login, scored, session, world):
    service.check(session, world.actor(session, "admin"))
    login("manager-yl01")
    html = client.get(f"/stores/{world.stores['YL01'].id}").get_data(as_text=True)
    assert "暂定星级" in html
    assert len(re.findall(r'<div class="tile-value">失 [0-9.]+ 分</div><div class="tile-label">[A-Z]-0[0-9] ', html)) == 3
