"""Helpers of the outreach tests: real image and PDF bytes, a fixed clock."""
from __future__ import annotations

import io
from datetime import datetime, timezone

from PIL import Image

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=timezone.utc)  # 12:00 in Changsha


def png(width: int = 64, height: int = 48, color=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return buf.getvalue()


def jpeg(width: int = 64, height: int = 48) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 20)).save(buf, "JPEG")
    return buf.getvalue()


def pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def add_shift(session, store, user, opened_at, hours: float = 4, number: str | None = None):
    """A closed till shift (the people of an opening session come from these)."""
    import uuid as _uuid
    from datetime import timedelta

    from supermarket.sales.models import Shift

    session.add(Shift(store_id=store.id, number=number or _uuid.uuid4().hex[:12], cashier_id=user.id,
                      opened_at=opened_at, closed_at=opened_at + timedelta(hours=hours), status="closed",
                      float_fen=0))
    session.commit()
