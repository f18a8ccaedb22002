"""The demo's disclosures: the last three months closed and published at every demo store (stock periods closed
first), YL01's middle month corrected with a second version, FR01 late with that month (published after the
10th), the auditors' reviews; every demo donation has a trace token, so its receipt prints a working QR code, and
the organisations that gave agreed to be named."""
from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from ..auth.permissions import Actor, Role, build_actor
from ..clock import SHANGHAI, local_today, previous_month
from ..intake import service as intake
from ..intake.models import Donation, Donor
from ..intake.service import DonationInput, MoneyInput
from ..inventory import periods
from ..models import utcnow
from ..settings import setting
from . import service, trace


def _local(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), SHANGHAI)


def load(session, ctx):
    from ..demo import DEMO_PASSWORD

    now = utcnow()
    today = local_today(now)
    m1 = previous_month(today)
    months = [previous_month(previous_month(m1)), previous_month(m1), m1]
    managers = {code: _staff(ctx, f"manager-{code.lower()}") for code in ctx.stores}
    for code, store in sorted(ctx.stores.items()):
        for month in months:
            periods.close_month(session, managers[code], store.id, month=month, now=now)
    for i, month in enumerate(months):
        nxt = months[i + 1] if i + 1 < len(months) else today.replace(day=1)
        for code, store in sorted(ctx.stores.items()):
            late = code == "FR01" and i == 1
            day = nxt.replace(day=14 if late else 5)
            at = min(_local(day, 10 + i), now - timedelta(hours=3 - i))
            service.close_month(session, managers[code], store.id, month, now=at)
    # YL01's middle month: a bank transfer received in that month was entered after publication; corrected.
    yl01 = ctx.stores["YL01"]
    v1 = service.versions(session, yl01.id, months[1])[0]
    when = _local(months[1].replace(day=20), 15)
    cashier = _staff(ctx, "cashier-yl01")
    intake.record_donation(session, cashier, DonationInput(
        idempotency_key=uuid.uuid4(), checker_username="manager-yl01", checker_secret=DEMO_PASSWORD, lines=[],
        money=[MoneyInput("bank_transfer", 100000, "DEMO-LATE-TRANSFER")], donor_id=None, anonymous=True),
        pii_key=setting("PII_HASH_KEY"), now=when)
    service.correct(session, managers["YL01"], v1.id, "补录当月 20 日到账的一笔银行转账捐款（1,000.00 元）",
                    now=min(_local(months[2].replace(day=8), 9), now - timedelta(hours=2)))
    # The auditors review the oldest month (accepting) and return one of the middle month.
    for code, store in sorted(ctx.stores.items()):
        auditor = _staff(ctx, f"auditor-{code[:2].lower()}")  # the district code is the store code's prefix
        service.review(session, auditor, service.versions(session, store.id, months[0])[0].id, accept=True,
                       now=now - timedelta(hours=1))
    service.review(session, _staff(ctx, "auditor-yl"), service.versions(session, ctx.stores["YL02"].id,
                                                                         months[1])[0].id,
                   accept=False, note="请补充本月义卖活动的说明", now=now - timedelta(hours=1))
    # Organisations agreed to be named on the trace pages; people stay 匿名 unless they agree.
    for donor in session.query(Donor).filter(Donor.kind == "organisation"):
        donor.publish_name = True
    session.commit()
    for donation in session.query(Donation).order_by(Donation.serial):
        code = next(c for c, s in ctx.stores.items() if s.id == donation.store_id)
        trace.ensure_token(session, _staff(ctx, f"cashier-{code.lower()}"), donation, now=now)
    ctx.extra["disclosure_months"] = months


def _staff(ctx, username: str) -> Actor:
    user = ctx.users[username]
    if user.role == Role.DISTRICT_AUDITOR.value:
        from ..extensions import db
        return build_actor(db.session, user)
    return Actor(user.id, user.username, Role(user.role), store_ids=frozenset({user.store_id}))
