"""Aid pages. The routes live in the views_* modules, one per area, all on this one blueprint (endpoints
`aid.<function>`); the modules are imported below, once `bp` exists."""
from datetime import date

from flask import Blueprint

from ..clock import local_today, parse_month, previous_month, utcnow

bp = Blueprint("aid", __name__, template_folder="templates")


def month_or_default(value: str | None, *, default_previous: bool = False) -> date:
    """`2026-11` as the first day of that month; without a value, this month (or the previous one). A malformed
    value never arrives here: the query schemas check the `YYYY-MM` shape."""
    if value:
        return parse_month(value)
    today = local_today(utcnow())
    return previous_month(today) if default_previous else today.replace(day=1)


from . import (views_campaigns, views_counter, views_distributions, views_households,  # noqa: E402,F401
               views_oversight, views_policy, views_public)

__all__ = ["bp", "month_or_default"]
