"""`flask points import`: credits from the city volunteer platform's CSV export, all or nothing.

Columns: idempotency_key, member_code, activity, hours, points, occurred_at (one of hours/points per row).
Every row is checked first for its shape, then against the rules (unknown members, caps, back-dating, …) inside
ONE transaction that is committed only when no row failed. With skip_bad, the good rows are committed and the
bad ones are written to a reject file with their line number and reason. A row whose key was imported before is
skipped (running the same file twice imports it once).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy.orm import Session

from ..auth.permissions import Actor
from ..errors import DomainError
from ..text_rules import refused_text
from .credits import claim_from_input, credit_by_key, post_credit_in_tx
from .schemas import CreditInSchema

COLUMNS = ("idempotency_key", "member_code", "activity", "hours", "points", "occurred_at")
MAX_ROWS = 100_000


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    points: int = 0
    already: int = 0
    bad: list = field(default_factory=list)       # (line, reason, raw row)
    committed: bool = False


def _messages(messages) -> str:
    if isinstance(messages, dict):
        return "；".join(f"{k}: {_messages(v)}" for k, v in messages.items())
    if isinstance(messages, list):
        return "，".join(_messages(m) for m in messages)
    return str(messages)


def read_rows(text: str) -> tuple[list[tuple[int, dict]], str | None]:
    """(line number, row) pairs; or an error about the file as a whole (missing columns, too many rows)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("idempotency_key", "member_code", "activity", "occurred_at")
               if c not in (reader.fieldnames or [])]
    if missing:
        return [], _("缺少列：%(cols)s", cols=", ".join(missing))
    rows = []
    for row in reader:
        rows.append((reader.line_num, row))
        if len(rows) > MAX_ROWS:
            return [], _("文件超过 %(n)d 行，请分批导入", n=MAX_ROWS)
    return rows, None


def _shape(raw: dict) -> dict:
    """A CSV row as the credit schema's input: empty cells dropped, numbers left as text for the schema."""
    data = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    data = {k: v for k, v in data.items() if v != ""}
    if "points" in data:
        try:
            data["points"] = int(data["points"])
        except ValueError:
            raise ValidationError({"points": [_("积分必须是正整数")]}) from None
    return data


def import_credits(session: Session, actor: Actor, rows: list[tuple[int, dict]], *, skip_bad: bool,
                   now: datetime, progress=None) -> ImportReport:
    """Check and import the rows (see the module docstring). `progress(n)` is called once per row per pass."""
    report = ImportReport(rows=len(rows))
    checked: list[tuple[int, dict, dict]] = []
    seen: dict[str, int] = {}
    for line, raw in rows:  # pass 1: shape, and keys repeated within the file
        try:
            shaped = _shape(raw)
            refused = refused_text(CreditInSchema(), shaped)  # a CSV cell carries the same rules as the API
            if refused:
                raise ValidationError(refused)
            data = CreditInSchema().load(shaped)
        except ValidationError as e:
            report.bad.append((line, _messages(e.messages), raw))
        else:
            if data["idempotency_key"] in seen:
                report.bad.append((line, _("与第 %(n)d 行的 idempotency_key 重复", n=seen[data["idempotency_key"]]), raw))
            else:
                seen[data["idempotency_key"]] = line
                checked.append((line, data, raw))
        if progress:
            progress(1)
    try:
        for line, data, raw in checked:  # pass 2: the rules, in one transaction
            if credit_by_key(session, data["idempotency_key"]) is not None:
                report.already += 1
            else:
                try:
                    credit = post_credit_in_tx(session, actor, claim_from_input(data), idempotency_key=data["idempotency_key"],
                                               source="import", now=now)
                except DomainError as e:
                    report.bad.append((line, _reason(e), raw))
                else:
                    report.imported += 1
                    report.points += credit.points
            if progress:
                progress(1)
        if report.bad and not skip_bad:
            session.rollback()
            report.imported = report.points = 0
        else:
            session.commit()
            report.committed = True
    except BaseException:
        session.rollback()
        raise
    report.bad.sort(key=lambda b: b[0])
    return report


def _reason(e: DomainError) -> str:
    fields = e.extra.get("fields")
    return f"{e.message}（{_messages(fields)}）" if fields and e.message else e.message


def reject_csv(report: ImportReport) -> str:
    """The bad rows as CSV, with their line number and reason, to fix and import again."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "error", *COLUMNS])
    for line, reason, raw in report.bad:
        writer.writerow([line, reason, *[raw.get(c, "") for c in COLUMNS]])
    return out.getvalue()
