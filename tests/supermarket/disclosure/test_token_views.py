"""The intake donation page's 去向码 panel: the manager reissues or revokes (with a confirmation, audited);
cashiers and auditors see the state but no buttons, and their posts are refused."""
from supermarket.audit.models import AuditEvent
from supermarket.disclosure import trace as tr
from supermarket.disclosure.models import TraceToken
from .test_trace import NOW, three_fates


def _page(client, donation):
    resp = client.get(f"/intake/donations/{donation.id}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_the_manager_reissues_and_revokes_with_confirmations(session, world, login, client):
    donation = three_fates(session, world)
    old = tr.ensure_token(session, world.actor(session, "cashier-yl01"), donation, now=NOW).token
    login("manager-yl01")
    html = _page(client, donation)
    assert 'id="trace-token"' in html and "重新生成去向码" in html and "作废去向码" in html
    assert html.count("data-confirm=") >= 2 and f"/public/trace/{old}" in html
    url = f"/disclosure/donations/{donation.id}/trace-token"
    resp = client.post(url, data={"action": "reissue"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/intake/donations/{donation.id}")
    assert client.get(f"/public/trace/{old}").status_code == 404
    new = tr.live_token(session, donation.id).token
    assert new != old and client.get(f"/public/trace/{new}").status_code == 200
    assert "已作废 1 个旧码" in _page(client, donation)
    assert client.post(url, data={"action": "revoke"}).status_code == 302
    assert tr.live_token(session, donation.id) is None
    assert client.get(f"/public/trace/{new}").status_code == 404
    html = _page(client, donation)
    assert "无有效去向码" in html and "作废去向码" not in html
    # A second revoke (a double click, another tab) is told so beside the buttons, nothing written.
    again = client.post(url, data={"action": "revoke"})
    assert again.status_code == 409 and "没有有效的去向码" in again.get_data(as_text=True)
    assert 'id="trace-token"' in again.get_data(as_text=True)
    bad = client.post(url, data={"action": "delete"})
    assert bad.status_code == 422 and "Must be one of" not in bad.get_data(as_text=True)
    actions = [e.action for e in session.query(AuditEvent).filter(AuditEvent.action.like("disclosure.trace_token%"))
               .order_by(AuditEvent.seq)]
    assert actions == ["disclosure.trace_token_issued", "disclosure.trace_token_reissued",
                       "disclosure.trace_token_revoked"]
    # The receipt printed now carries a fresh token again.
    assert client.get(f"/intake/donations/{donation.id}/receipt.pdf").status_code == 200
    assert tr.live_token(session, donation.id) is not None
    assert session.query(TraceToken).filter_by(donation_id=donation.id).count() == 3


def test_cashiers_and_auditors_see_the_state_but_no_buttons(session, world, login, client):
    donation = three_fates(session, world)
    tok = tr.ensure_token(session, world.actor(session, "cashier-yl01"), donation, now=NOW).token
    url = f"/disclosure/donations/{donation.id}/trace-token"
    for user in ("cashier-yl01", "auditor-yl"):
        client.post("/logout")
        login(user)
        html = _page(client, donation)
        assert "捐赠去向码" in html and "有效" in html, user
        assert "重新生成去向码" not in html and "作废去向码" not in html and tok not in html, user
        assert client.post(url, data={"action": "revoke"}).status_code in (302, 403), user
        assert tr.live_token(session, donation.id).token == tok, user


def test_another_stores_manager_gets_404(session, world, login, client):
    donation = three_fates(session, world)
    login("manager-fr01")
    assert client.get(f"/intake/donations/{donation.id}").status_code == 404
    assert client.post(f"/disclosure/donations/{donation.id}/trace-token",
                       data={"action": "revoke"}).status_code == 404
