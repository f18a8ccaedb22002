"""Shared bits of the rating tests: a controllable clock for the API, evidence files, an API caller."""
from __future__ import annotations

import io
import json
import uuid
from datetime import timedelta

from PIL import Image

from supermarket.clock import utcnow


def png(size=(320, 240), color=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


class Clock:
    def __init__(self, monkeypatch):
        self.now = utcnow()
        for module in ("supermarket.rating.api", "supermarket.rating.views"):
            try:
                monkeypatch.setattr(f"{module}.utcnow", lambda: self.now)
            except (AttributeError, ImportError):
                pass

    def advance(self, **kw):
        self.now += timedelta(**kw)


def key() -> str:
    return str(uuid.uuid4())


def answer(client, headers, aid, rule, value, files=(), idem=None):
    data = {"payload": json.dumps({"rule": rule, "value": value, "idempotency_key": idem or key()})}
    data["evidence"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(f"/api/v1/assessments/{aid}/answer", data=data, headers=headers,
                       content_type="multipart/form-data")


SELF_ANSWERS = {
    "C-01": {"area_m2": 80, "zones": 6},
    "C-02": {"checked": ["统一标识", "牌匾", "服务时间", "服务内容", "监督电话", "管理制度", "收支公示栏"]},
    "C-05": {"checked": ["物资接收", "物资管理", "销售管理", "发放管理", "财务管理", "志愿者管理", "信息公开", "安全管理"]},
}


def qr_urls(pdf: bytes, tmp_path) -> list[str]:
    """The QR codes of the PDF's first page, rendered by poppler and decoded by zbar (independent of the app)."""
    import subprocess

    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(tmp_path / "c.pdf"),
                    str(tmp_path / "c")], check=True, timeout=60)
    png_file = next(tmp_path.glob("c*.png"))
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png_file)], capture_output=True, text=True, timeout=60)
    return [line for line in out.stdout.splitlines() if line]


def rated_store(session, world, code: str, stars: int, *, decided_at, valid_from):
    """A store holding `stars` from a decided assessment (written directly: the round itself is tested in
    test_round.py)."""
    import secrets

    from supermarket.clock import add_months
    from supermarket.rating.models import Assessment, Decision, RatingRound
    from supermarket.standards import standard as std

    store = world.stores[code]
    doc = std.in_force(session)
    rnd = RatingRound(name=f"往年评定{code}", district_id=store.district_id, standard_version=doc.version,
                      deadline=valid_from, opened_by="auditor", created_at=decided_at)
    session.add(rnd)
    session.flush()
    a = Assessment(round_id=rnd.id, store_id=store.id, status="decided", standard_version=doc.version,
                   stars_applied=stars, stars_allowed=stars, returned_items=[], accepted_at=decided_at,
                   created_at=decided_at)
    session.add(a)
    session.flush()
    d = Decision(store_id=store.id, assessment_id=a.id, number=f"{code}-OLD", stars=stars, reasons=[],
                 decided_by="auditor-yl", decided_at=decided_at, valid_from=valid_from,
                 valid_until=add_months(valid_from, 36), status="valid", status_at=decided_at,
                 reapply_after=add_months(valid_from, 12), token=secrets.token_urlsafe(16))
    session.add(d)
    store.star_level = stars
    session.commit()
    return d
