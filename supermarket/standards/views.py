"""Pages of the central check. The routes live in views_board.py (the board, a store's card, a rule's exception
rows and its N/A form) and views_standard.py (the standard in force, the federation's draft editor), all on this
one blueprint (endpoints `standards.<function>`)."""
from flask import Blueprint

bp = Blueprint("standards", __name__, template_folder="templates")

GRADE_CLASS = {"A": "g-a", "B": "g-b", "C": "g-c", "D": "g-d", "N/A": "g-na", None: "g-none"}


def grade_class(grade) -> str:
    """The CSS class of a grade cell (the letter is always printed too: readable without colour)."""
    return GRADE_CLASS.get(grade, "g-none")


@bp.app_template_filter("stars_text")
def stars_text(n) -> str:
    from flask_babel import gettext as _

    return "★" * int(n) if n else _("未达标")


from . import views_board, views_standard  # noqa: E402,F401

__all__ = ["bp", "grade_class"]
