"""The audit log page: sentences, filters, downloads, and the chain check for auditors."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text

from supermarket.audit.models import AuditEvent
from tests.factories import sql_id

from ..exports.helpers import csv_rows, xlsx_rows


def test_the_log_reads_as_sentences_with_the_raw_record_behind_details(session, world, login):
    page = login("admin").get("/audit").get_data(as_text=True)
    assert "市慈善总会管理员 test 新建门店 YL01 门店标记YL01" in page
    assert "<details><summary>详情</summary>" in page and "<code>stores.store_created</code>" in page
    assert 'label="门店"' in page and '<option value="stores.store_created"' in page
    assert f'href="/stores/{world.stores["YL01"].id}"' in page  # the document the event is about


def test_filters_by_type_person_text_and_dates(session, world, login):
    client = login("admin")
    page = client.get("/audit?action=auth.user_created&text=auditor-fr").get_data(as_text=True)
    assert page.count('class="audit-event"') == 1 and "新建账号 auditor-fr" in page
    assert client.get("/audit?action=stores.&actor_name=nobody").get_data(as_text=True).count(
        'class="audit-event"') == 0
    bad = client.get("/audit?date_from=2026-12-05&date_to=2026-12-01")
    assert bad.status_code == 422 and "截止日期不能早于起始日期" in bad.get_data(as_text=True)
    assert client.get("/audit?store_id=nonsense").status_code == 422


def test_the_log_downloads_with_the_same_filters_and_scope(session, world, login):
    client = login("auditor-yl")
    page = client.get("/audit?action=auth.").get_data(as_text=True)
    shown = page.count('class="audit-event"')
    header, rows, _ws = xlsx_rows(client.get("/audit?action=auth.&format=xlsx"))
    assert header[:6] == ["时间", "门店", "操作人", "角色", "事件", "说明"]
    assert len(rows) == shown > 0 and all(isinstance(r[0], datetime) for r in rows)
    assert all(r[6].startswith("auth.") and "FR01" not in r[1] for r in rows)
    assert isinstance(rows[0][10], int)
    _h, text_rows = csv_rows(client.get("/audit?action=auth.&format=csv"))
    assert [r[5] for r in text_rows] == [r[5] for r in rows]
    # Another district's store: 404 for the page and its download, nothing of it in the file.
    fr01 = world.stores["FR01"].id
    assert client.get(f"/audit?store_id={fr01}").status_code == 404
    assert client.get(f"/audit?store_id={fr01}&format=xlsx").status_code == 404
    assert login("cashier-yl01").get("/audit?format=csv").status_code == 403


def test_an_auditor_verifies_their_chains_and_the_check_is_recorded(session, world, login):
    client = login("auditor-yl")
    page = client.get("/audit").get_data(as_text=True)
    assert 'id="verify-chain"' in page
    done = client.post("/audit/verify", data={})
    body = done.get_data(as_text=True)
    assert done.status_code == 200 and 'id="verify-result"' in body and "完整" in body
    yl_chains = {str(world.stores["YL01"].id), str(world.stores["YL02"].id)}
    count = session.scalar(select(text("count(*)")).select_from(AuditEvent).where(AuditEvent.chain.in_(yl_chains)))
    assert f"共 {count} 条记录、2 条链" in body
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.chain_verified")).one()
    assert event.actor_name == "auditor-yl" and '"result": "完整"' in event.summary
    # A broken row in the other district does not concern this auditor; one in their own district does.
    fr = session.scalars(select(AuditEvent).where(AuditEvent.chain == str(world.stores["FR01"].id))).first()
    session.execute(text("UPDATE audit_events SET summary = '{}' WHERE id = :id"), {"id": sql_id(fr.id)})
    session.commit()
    assert "完整" in client.post("/audit/verify", data={}).get_data(as_text=True)
    broken = login("admin").post("/audit/verify", data={}).get_data(as_text=True)
    assert "审计链断裂" in broken and str(fr.id) in broken and "内容与哈希不符" in broken


def test_a_manager_reads_the_log_but_has_no_chain_button(session, world, login):
    client = login("manager-yl01")
    page = client.get("/audit").get_data(as_text=True)
    assert 'id="verify-chain"' not in page and "门店标记YL02" not in page
    assert client.post("/audit/verify", data={}).status_code == 403
