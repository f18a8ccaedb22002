"""The auditor attaches evidence when recording a finding (API multipart and the findings page): photos and PDFs
checked by content like the store's response, kept with their SHA-256; a file that is not what it claims is
refused with a message beside the field and nothing is written."""
from __future__ import annotations

import hashlib
import io
import json
from datetime import timedelta

from sqlalchemy import func, select

from supermarket.clock import local_today, utcnow
from supermarket.rating.models import Evidence, Finding
from tests.supermarket.rating.helpers import key, png


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def _post(client, headers, files, idem=None):
    payload = {"store": "YL01", "rule": "D-01", "severity": "major", "description": "入库单缺少经手人签字",
               "due_on": (local_today(utcnow()) + timedelta(days=14)).isoformat(), "idempotency_key": idem or key()}
    data = {"payload": json.dumps(payload), "evidence": [(io.BytesIO(c), n) for n, c in files]}
    return client.post("/api/v1/findings", data=data, headers=headers, content_type="multipart/form-data")


def test_a_finding_with_evidence_through_the_api(session, world, client, api_token):
    auditor = api_token("auditor-yl")
    photo = png()
    k = key()
    resp = _post(client, auditor, [("photo.png", photo)], idem=k)
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["evidence"] == [{"filename": "photo.png", "sha256": hashlib.sha256(photo).hexdigest(),
                                 "purpose": "finding"}]
    ev = session.scalars(select(Evidence)).one()
    assert (str(ev.finding_id), ev.purpose, ev.rule_id) == (body["id"], "finding", "D-01")
    again = _post(client, auditor, [("photo.png", photo)], idem=k)
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]
    assert _count(session, Evidence) == 1 and _count(session, Finding) == 1


def test_evidence_that_is_not_what_it_claims_writes_nothing(session, world, client, api_token):
    resp = _post(client, api_token("auditor-yl"), [("photo.png", b"not a picture at all")])
    assert resp.status_code == 422, resp.get_json()
    assert "evidence" in resp.get_json()["error"]["fields"]
    assert _count(session, Finding) == 0 and _count(session, Evidence) == 0
    # Another district's store: 404, nothing written.
    resp = _post(client, api_token("auditor-fr"), [("photo.png", png())])
    assert resp.status_code == 404 and _count(session, Finding) == 0


def test_the_findings_page_takes_evidence(session, world, client, login):
    login("auditor-yl")
    due = (local_today(utcnow()) + timedelta(days=14)).isoformat()
    form = {"store": "YL01", "rule": "D-01", "severity": "major", "red_line": "", "description": "未贴价签",
            "due_on": due}
    bad = client.post("/rating/findings", data={**form, "evidence": [(io.BytesIO(b"%PDF-no"), "x.pdf")]},
                      content_type="multipart/form-data")
    assert bad.status_code == 422
    assert 'aria-invalid="true"' in bad.get_data(as_text=True) and _count(session, Finding) == 0
    ok = client.post("/rating/findings", data={**form, "evidence": [(io.BytesIO(png()), "p.png")]},
                     content_type="multipart/form-data")
    assert ok.status_code in (302, 303)
    ev = session.scalars(select(Evidence)).one()
    assert ev.purpose == "finding"
    page = client.get("/rating/findings").get_data(as_text=True)
    assert "p.png" in page and ev.sha256[:12] in page
