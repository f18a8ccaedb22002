"""The aid pages' blueprint and the small helpers its view modules share."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect

from ..errors import DomainError

from ..models import utcnow
from ..privacy import mask_id_last4, mask_name, mask_phone
from ..clock import local_today

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


def act(action, *, done: str, then: str, refused):
    """Run one page action (a service call). Done: flash and redirect to `then`. Refused: `refused(message,
    status)` shows the page again with the message (nothing was written). Another store's id stays a 404."""
    try:
        action()
    except DomainError as e:
        if e.code == "not_found":
            raise
        return refused(e.message, e.status)
    flash(done)
    return redirect(then)


# Masking in templates: lists and oversight pages show 张*明, 138****5678 and ****1234.
bp.add_app_template_filter(mask_name, "mask_name")
bp.add_app_template_filter(mask_phone, "mask_phone")
bp.add_app_template_filter(mask_id_last4, "mask_id")
