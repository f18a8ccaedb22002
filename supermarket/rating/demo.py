"""Demo for the star rating (issue 12, item 10), all through the services:
- YL02 holds a valid star: its whole round ran (answers with photos, submission, review, publicity with one
  objection answered, decision) and its certificate can be printed;
- YL01's assessment of the same round is still a draft (one item answered);
- FR01 has submitted and waits for the FR auditor's review;
- TX02 has a finding past its due date (its stocktakes lapsed);
- TX03 applied for four stars: the district accepted its self-assessment and scheduled the on-site check in two
  days with two inspectors (auditor-tx and a second Tianxin auditor, auditor-tx-2), which the store sees.
No demo store reaches four stars on the central check: the demo's 90 days of ledgers stop at about 72 points
(volunteering, outreach and finance records are thin), while ★4 needs 80 and 60 % of every category; the path
to ★4/★5 through the on-site check is shown in tests/supermarket/rating/test_checks.py.
"""
from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw

from ..auth.permissions import Actor, Role
from ..clock import local_today
from ..models import utcnow
from ..stores.models import Store
from ..uploads import Upload
from ..auth import service as auth_service
from ..auth.permissions import system_actor
from ..demo import DEMO_PASSWORD
from . import decisions, findings, onsite, service
from .models import Assessment

ANSWERS = {
    "C-01": {"area_m2": 86, "zones": 6},
    "C-02": {"checked": ["统一标识", "牌匾", "服务时间", "服务内容", "监督电话", "管理制度", "收支公示栏"]},
    "C-05": {"checked": ["物资接收", "物资管理", "销售管理", "发放管理", "财务管理", "志愿者管理", "信息公开", "安全管理"]},
}


def _photo(label: str) -> Upload:
    image = Image.new("RGB", (480, 320), (236, 240, 244))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 460, 300), outline=(180, 30, 30), width=6)
    draw.text((40, 40), label, fill=(20, 20, 20))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80)
    return Upload(f"{label}.jpg", buf.getvalue())


def _actor(session, ctx, username: str) -> Actor:
    user = ctx.users[username]
    role = Role(user.role)
    if role is Role.DISTRICT_AUDITOR:
        ids = frozenset(s.id for s in session.query(Store).filter(Store.district_id == user.district_id))
        return Actor(user.id, user.username, role, store_ids=ids, district_ids=frozenset({user.district_id}))
    return Actor(user.id, user.username, role, store_ids=frozenset({user.store_id}))


def _assessment(session, store) -> Assessment:
    return session.query(Assessment).filter(Assessment.store_id == store.id).one()


def load(session, ctx):
    now = utcnow()
    yl_auditor, fr_auditor = _actor(session, ctx, "auditor-yl"), _actor(session, ctx, "auditor-fr")
    start = now - timedelta(days=20)
    service.open_round(session, yl_auditor, name="岳麓区2026年度慈善超市星级评定",
                       deadline=local_today(now) + timedelta(days=20), now=start)
    service.open_round(session, fr_auditor, name="芙蓉区2026年度慈善超市星级评定",
                       deadline=local_today(now) + timedelta(days=25), now=start)

    # YL02: the whole round.
    manager = _actor(session, ctx, "manager-yl02")
    a = _assessment(session, ctx.stores["YL02"])
    for i, (rule, value) in enumerate(ANSWERS.items()):
        service.answer(session, manager, a.id, rule, value, [_photo(f"YL02 {rule}")],
                       now=start + timedelta(hours=2 + i))
    a = service.submit(session, manager, a.id, stars_applied=3, now=now - timedelta(days=18))
    a = service.accept(session, yl_auditor, a.id, reviews=[service.ItemReview(
        "C-01", "B", "现场测量营业面积 52 平方米，与自评不符")], now=now - timedelta(days=16))
    objection = decisions.object_to(session, a.id, text="该店周末经常不开门，公示的开放时间与实际不符。",
                                    now=now - timedelta(days=14))
    decisions.answer_objection(session, yl_auditor, a.id, objection.reference,
                               answer="经调取收银班次记录核实，近 90 天周末均有营业，异议不成立。",
                               now=now - timedelta(days=12))
    stars = min(a.stars_applied or 0, a.stars_allowed or 0)
    decisions.decide(session, yl_auditor, a.id, stars=stars,
                     reasons=[] if stars else ["总分未达到一星标准"], now=now - timedelta(days=8))

    # YL01: a draft with one item answered.
    yl01 = _assessment(session, ctx.stores["YL01"])
    service.answer(session, _actor(session, ctx, "manager-yl01"), yl01.id, "C-01", {"area_m2": 45, "zones": 5},
                   [_photo("YL01 C-01")], now=now - timedelta(days=3))

    # FR01: submitted, waiting for review.
    fr = _actor(session, ctx, "manager-fr01")
    f = _assessment(session, ctx.stores["FR01"])
    for i, (rule, value) in enumerate(ANSWERS.items()):
        service.answer(session, fr, f.id, rule, value, [_photo(f"FR01 {rule}")], now=now - timedelta(days=6, hours=i))
    service.submit(session, fr, f.id, stars_applied=2, now=now - timedelta(days=5))

    # TX02: an overdue finding.
    findings.record(session, _actor(session, ctx, "auditor-tx"), store="TX02", rule="D-04", severity="major",
                    description="连续三个月未盘点，库存账实无法核对", due_on=local_today(now) - timedelta(days=10),
                    now=now - timedelta(days=40))

    # TX03: four stars applied for, accepted, the on-site check scheduled.
    tx_auditor = _actor(session, ctx, "auditor-tx")
    ctx.users["auditor-tx-2"] = auth_service.create_user(
        session, system_actor("demo"), username="auditor-tx-2", display_name="天心区审核员 何静", password=DEMO_PASSWORD,
        role=Role.DISTRICT_AUDITOR, store_id=None, district_id=ctx.districts["TX"].id)
    service.open_round(session, tx_auditor, name="天心区2026年度慈善超市星级评定",
                       deadline=local_today(now) + timedelta(days=30), now=now - timedelta(days=12))
    tx = _actor(session, ctx, "manager-tx03")
    t = _assessment(session, ctx.stores["TX03"])
    for i, (rule, value) in enumerate(ANSWERS.items()):
        service.answer(session, tx, t.id, rule, value, [_photo(f"TX03 {rule}")], now=now - timedelta(days=10, hours=i))
    service.submit(session, tx, t.id, stars_applied=4, now=now - timedelta(days=9))
    service.accept(session, tx_auditor, t.id, now=now - timedelta(days=4))
    onsite.schedule(session, tx_auditor, t.id, scheduled_on=local_today(now) + timedelta(days=2),
                    inspectors=["auditor-tx", "auditor-tx-2"], note="请店长在场，备好台账与公示栏照片",
                    now=now - timedelta(days=3))
