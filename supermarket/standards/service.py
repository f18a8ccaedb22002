"""The central check's entry points (signatures fixed by STANDARDS_CONTRACT.md). Bodies land step by step."""
from __future__ import annotations

from datetime import date

from .results import Board, ExceptionRow, StandardDoc, StoreScore


def current_standard(session) -> StandardDoc:
    raise NotImplementedError


def get_draft(session, actor) -> StandardDoc:
    raise NotImplementedError


def update_draft(session, actor, body: dict) -> StandardDoc:
    raise NotImplementedError


def publish_draft(session, actor, *, effective_from: date | None = None) -> StandardDoc:
    raise NotImplementedError


def board(session, actor, *, as_of=None, district=None, stars=None, rule=None, red_line=None,
          sort="total") -> Board:
    raise NotImplementedError


def store_card(session, actor, store_code, *, as_of=None) -> StoreScore:
    raise NotImplementedError


def rule_exceptions(session, actor, store_code, rule_id, *, as_of=None, limit=500) -> list[ExceptionRow]:
    raise NotImplementedError


def mark_not_applicable(session, actor, store_code, rule_id, *, reason: str) -> None:
    raise NotImplementedError


def clear_not_applicable(session, actor, store_code, rule_id) -> None:
    raise NotImplementedError


def not_applicable_list(session, actor, store_code) -> list:
    raise NotImplementedError


def refresh(session, *, through: date | None = None) -> int:
    raise NotImplementedError


def check(session, actor, *, store_code=None, as_of=None) -> list[StoreScore]:
    raise NotImplementedError


def home_summary(session, store_id) -> tuple[int, list[str]] | None:
    raise NotImplementedError
