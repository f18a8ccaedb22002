"""Projects factories: an open store project, a session registered for it, an order file."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

from PIL import Image

from supermarket.auth.service import Approval
from supermarket.projects import service
from supermarket.projects.livestream import SessionInput
from supermarket.projects.projects import ProjectInput
from tests.factories import PASSWORD

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)  # 10:00 in Changsha


def manager(session, world, code="YL01"):
    return world.actor(session, f"manager-{code.lower()}")


def cashier(session, world, code="YL01"):
    return world.actor(session, f"cashier-{code.lower()}")


def open_project(session, world, code="YL01", *, target_fen=1_000_000, title="山区小学过冬衣物", now=NOW,
                 status="open"):
    actor = manager(session, world, code)
    project = service.create_project(session, actor, ProjectInput(
        title=title, purpose="为山区小学学生添置冬衣", beneficiaries="某山区小学约120名学生",
        target_fen=target_fen, starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30)), now=now)
    if status == "open":
        service.set_status(session, actor, project.id, "open", now=now)
    return project


def approval(code="YL01", secret=PASSWORD) -> Approval:
    return Approval(f"manager-{code.lower()}", secret)


def spend(session, world, project, amount_fen, *, code="YL01", by=None, approver=None, voucher=None, now=NOW):
    actor = by or cashier(session, world, code)
    return service.record_expenditure(session, actor, project.id, service.ExpenditureInput(
        amount_fen=amount_fen, payee="长沙某服装厂", purpose="购买冬衣", spent_on=date(2026, 11, 20),
        approval=approver or approval(code), voucher=voucher), now=now)


def register(session, world, project, *, code="YL01", platform="douyin", starts_at=None, hours=2, now=NOW,
             goods=()):
    starts_at = starts_at or now + timedelta(hours=8)
    return service.register_session(session, cashier(session, world, code), SessionInput(
        project_id=project.id, title="周末爱心直播", platform=platform, host="店长小李", starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours), goods=tuple(goods)), now=now)


def order_csv(rows, header=("订单编号", "订单应付金额", "订单提交时间", "订单状态")) -> bytes:
    """rows: (order_no, yuan text, local time text, status)."""
    lines = [",".join(header)] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def png(width=400, height=300) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
