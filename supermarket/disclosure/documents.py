"""The seam to printing/: a published version becomes a DisclosureData (times localised, labels in the user's
language, money as text)."""
from __future__ import annotations

import json

from flask_babel import gettext as _

from printing.disclosure import DisclosureData, DisclosureRow, DisclosureSection, render_disclosure

from ..clock import SHANGHAI
from .models import Disclosure
from .present import change_label, sections


def disclosure_data(row: Disclosure, *, verify_url: str = "", superseded_by: int | None = None) -> DisclosureData:
    store = row.store
    return DisclosureData(
        store_name=store.name, store_code=store.code, district_name=store.district.name, month=row.month,
        version=row.version, serial_no=f"{store.code}-{row.month:%Y%m}-V{row.version}",
        published_at=row.published_at.astimezone(SHANGHAI),
        sections=[DisclosureSection(s.title, [DisclosureRow(r.label, r.value) for r in s.rows])
                  for s in sections(json.loads(row.figures))],
        chain_head_hash=row.chain_head_hash, chain_event_count=row.chain_event_count,
        figures_sha256=row.figures_sha256, reason=row.reason,
        changes=[change_label(p) for p in json.loads(row.changes)],
        superseded_note=(_("本版本已被第 %(v)d 版更正", v=superseded_by) if superseded_by else ""),
        verify_url=verify_url)


def disclosure_pdf(row: Disclosure, *, verify_url: str = "", superseded_by: int | None = None) -> bytes:
    return render_disclosure(disclosure_data(row, verify_url=verify_url, superseded_by=superseded_by))
