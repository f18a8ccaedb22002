"""Demo outreach, relative to the day `flask demo` runs, so the stores differ for visible reasons:

- YL01 does everything: monthly publicity events with photos, five convenience services logged, a training, a
  full profile (120 m², six zones, seven signage photos, eight rule documents, Monday–Saturday hours) — and one
  complaint left unanswered for 18 days (on 岳麓区's overdue list) beside one answered in time.
- YL02 logs two services and keeps a partial profile (four zones, four signage items, five rules, weekdays
  only) but held no publicity event in the last 90 days: publicity is inactive there.
- FR01 held one event (no photo), offers services but logged none (convenience inactive), no training, and
  its profile lacks the signage and most rules.
"""
from __future__ import annotations

import io
from datetime import time, timedelta

from PIL import Image, ImageDraw

from ..auth.permissions import build_actor
from ..clock import local_date
from ..models import utcnow
from . import complaints, events, profile, services_log, training
from .files import Upload
from .models import RULES, SIGNAGE, ZONES


def _photo(label: str, color) -> Upload:
    image = Image.new("RGB", (640, 420), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 600, 380), outline=(255, 255, 255), width=6)
    draw.text((70, 190), label, fill=(255, 255, 255))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80)
    return Upload(f"{label}.jpg", buf.getvalue())


def _pdf(label: str) -> Upload:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf, invariant=1)
    page.drawString(72, 760, f"Operating rule: {label}")
    page.save()
    return Upload(f"{label}.pdf", buf.getvalue())


def load(session, ctx):
    now = utcnow()
    today = local_date(now)
    staff = {name: build_actor(session, user) for name, user in ctx.users.items()}

    # Profiles: (store, area, zones, signage items, rules, legal form, weekdays open, opens, closes)
    profiles = (
        ("YL01", 120, ZONES, SIGNAGE, RULES, "charity_org", range(6), time(9), time(18)),
        ("YL02", 85, ZONES[:4], SIGNAGE[:4], RULES[:5], "entrusted", range(5), time(9), time(17, 30)),
        ("FR01", 150, ZONES, (), RULES[:2], "social_org", range(7), time(8, 30), time(18)),
    )
    for code, area, zones, signage, rules, form, days, opens, closes in profiles:
        manager = staff[f"manager-{code.lower()}"]
        profile.update_basics(session, manager, floor_area_m2=area, legal_form=form,
                              operator_name=f"{code} 运营方", zones=set(zones), now=now)
        for i, item in enumerate(signage):
            profile.attach_document(session, manager, "signage", item, _photo(f"{code}-{item}", (150, 40 + i * 20, 40)),
                                    now=now)
        for rule in rules:
            profile.attach_document(session, manager, "rule", rule, _pdf(f"{code}-{rule}"), now=now)
        if code == "YL02":
            profile.attach_document(session, manager, "agreement", "", _pdf("YL02-agreement"), now=now)
        profile.set_opening_hours(session, manager, {d: (opens, closes) for d in days}, now=now)

    # Publicity: YL01 monthly with photos; FR01 once without; YL02 none in the window.
    yl01 = staff["cashier-yl01"]
    for months_ago, kind, title, place, people in ((0, "community", "慈善一日捐进社区", "望月湖社区", 180),
                                                   (1, "school", "爱心义卖进校园", "桐梓坡小学", 320),
                                                   (2, "day", "中华慈善日宣传", "岳麓区政务中心广场", 450)):
        held = today - timedelta(days=5 + 30 * months_ago)
        events.record_event(session, yl01, events.EventInput(
            held_on=held, kind=kind, title=title, place=place, people_reached=people,
            photos=(_photo(f"event-{months_ago}", (30, 90 + 40 * months_ago, 160)),)), now=now)
    events.record_event(session, staff["cashier-yl02"], events.EventInput(
        held_on=today - timedelta(days=130), kind="online", title="公众号慈善故事", people_reached=900), now=now)
    events.record_event(session, staff["cashier-fr01"], events.EventInput(
        held_on=today - timedelta(days=20), kind="media", title="长沙晚报报道", place="定王台", people_reached=0),
        now=now)

    # Convenience services: YL01 five types logged; YL02 two; FR01 configured but none logged.
    for code, names, logged in (("YL01", services_log.DEFAULT_TYPES, 5), ("YL02", ("政策咨询", "代缴费"), 2),
                                ("FR01", ("工具借用", "小家电维修"), 0)):
        types = [services_log.add_service_type(session, staff[f"manager-{code.lower()}"], name, now=now)
                 for name in names]
        cashier = staff[f"cashier-{code.lower()}"]
        for day in range(0, 60, 3) if logged else ():
            for i, kind in enumerate(types[:logged]):
                if (day + i) % 2 == 0:
                    services_log.log_service(session, cashier, kind.id, count=1 + (day + i) % 3,
                                             now=now - timedelta(days=day, hours=i + 1))

    # Complaints: YL01 one answered in time (web), one unanswered for 18 days (phone); YL02 one answered.
    public = complaints.submit_public(session, complaints.PublicComplaintInput(
        store_code="YL01", category="goods", text="买到的挂面已经受潮", contact=""), address="demo",
        now=now - timedelta(days=10))
    complaints.answer_complaint(session, staff["manager-yl01"], public.id,
                                "已为您更换并检查同批次商品，感谢反馈。", now=now - timedelta(days=8))
    ctx.extra["outreach_answered_reference"] = public.reference
    overdue = complaints.record_complaint(session, yl01, channel="phone", category="service",
                                          text="周六下午未按公示时间开门", now=now - timedelta(days=18))
    ctx.extra["outreach_overdue_reference"] = overdue.reference
    yl02 = complaints.record_complaint(session, staff["cashier-yl02"], channel="visit", category="suggestion",
                                       text="建议增加儿童用品", now=now - timedelta(days=25))
    complaints.answer_complaint(session, staff["manager-yl02"], yl02.id, "已联系捐赠方补充儿童用品。",
                                now=now - timedelta(days=20))

    # Training: YL01 and YL02 trained this year; FR01 not.
    for code in ("YL01", "YL02"):
        low = code.lower()
        training.record_training(session, staff[f"manager-{low}"], training.TrainingInput(
            held_on=today - timedelta(days=45), topic="食品安全与临期商品处理", trainer="区慈善会 培训部",
            minutes=90, user_ids=(ctx.users[f"cashier-{low}"].id, ctx.users[f"manager-{low}"].id)), now=now)
    session.commit()
