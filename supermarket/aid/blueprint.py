"""The aid pages' blueprint and the small helpers its view modules share."""
from __future__ import annotations

from datetime import date

from flask import Blueprint

from ..models import utcnow
from ..privacy import mask_id_last4, mask_name, mask_phone
from .households import local_today

bp = Blueprint("aid", __name__, template_folder="templates")


def parse_month(value: str | None, *, default_previous: bool = False) -> date:
    """`2026-11` as the first day of that month; without a value, this month (or the previous one)."""
    if value:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    today = local_today(utcnow())
    if default_previous:
        return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    return today.replace(day=1)


# Masking in templates: lists and oversight pages show 张*明, 138****5678 and ****1234.
bp.add_app_template_filter(mask_name, "mask_name")
bp.add_app_template_filter(mask_phone, "mask_phone")
bp.add_app_template_filter(mask_id_last4, "mask_id")
