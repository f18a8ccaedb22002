"""Language and time: zh_CN by default, English second; times stored in UTC, shown in Asia/Shanghai."""
from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, current_app, has_request_context, redirect, request, session, url_for

from .auth.decorators import public
from .clock import SHANGHAI
from .web import is_safe_next


bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The language chosen on the site (kept in the session); an API caller's Accept-Language; else Chinese."""
    languages = current_app.config["LANGUAGES"]
    lang = session.get("lang") if has_request_context() else None
    if lang in languages:
        return lang
    if has_request_context() and request.path.startswith("/api/") and request.accept_languages:
        best = request.accept_languages.best_match([code.replace("_", "-") for code in languages])
        if best:
            return best.replace("-", "_")
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.get("/lang/<code>")
@public
def switch(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    target = request.args.get("next")
    return redirect(target if is_safe_next(target) else url_for("auth.home"))


def local_datetime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(SHANGHAI).strftime(fmt)


def local_date(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(SHANGHAI).date()
    return value.isoformat()


def stock_qty(qty: int | None, item, signed: bool = False) -> str:
    """A stock quantity in the item's unit: "5 包", or kg with three decimals for an item sold by weight (its
    ledger counts grams: sales.weighed)."""
    if qty is None:
        return ""
    sign = ("+" if qty > 0 else "") if signed else ""
    if getattr(item, "sold_by_weight", False):
        return sign + kg(qty)
    return f"{sign}{qty} {item.unit}"


def kg(grams: int) -> str:
    """Grams as kg with three decimals: 1250 -> "1.250 kg", -5 -> "-0.005 kg"."""
    g = abs(int(grams))
    return f"{'-' if grams < 0 else ''}{g // 1000}.{g % 1000:03d} kg"


def yuan(fen: int | None) -> str:
    """Integer fen as '¥12.50' (no floats on the way)."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}¥{fen // 100:,}.{fen % 100:02d}"
