"""The JSON shapes of the API and of `flask standards check --json` (the same shapes)."""
from __future__ import annotations

from dataclasses import asdict

from .results import Board, ExceptionRow, StandardDoc, StoreScore
from .standard import to_body


def standard_json(doc: StandardDoc) -> dict:
    body = to_body(doc)
    return {"version": doc.version, "status": doc.status,
            "effective_from": doc.effective_from.isoformat() if doc.effective_from else None, **body}


def _categories(score: StoreScore) -> dict:
    return {code: {"name": c.name_zh, "points": c.points, "max_points": c.max_points, "ratio": c.ratio}
            for code, c in score.categories.items()}


def _red_lines(score: StoreScore) -> list:
    return [asdict(h) for h in score.red_lines]


def board_store_json(score: StoreScore) -> dict:
    return {"store": score.store_code, "name": score.store_name, "district": score.district_code,
            "total": score.total, "stars": score.stars, "red_lines": _red_lines(score),
            "categories": _categories(score)}


def board_json(board: Board) -> dict:
    return {"as_of": board.as_of.isoformat(), "standard_version": board.standard.version,
            "star_distribution": {str(k): v for k, v in sorted(board.star_distribution.items())},
            "stores": [board_store_json(s) for s in board.stores]}


def store_json(score: StoreScore) -> dict:
    return {"store": score.store_code, "name": score.store_name, "district": score.district_code,
            "as_of": score.as_of.isoformat(), "standard_version": score.standard_version,
            "total": score.total, "stars": score.stars,
            "next_star": asdict(score.next_star) if score.next_star else None,
            "functions": dict(score.functions), "red_lines": _red_lines(score), "categories": _categories(score),
            "rules": [{"id": r.id, "category": r.category, "name": r.name_zh, "kind": r.kind, "weight": r.weight,
                       "grade": r.grade, "points": r.points, "value": r.value, "numerator": r.numerator,
                       "denominator": r.denominator, "note": r.note, "exceptions": r.exceptions}
                      for r in score.rules]}


def exception_json(row: ExceptionRow, url: str | None) -> dict:
    return {"at": row.at.isoformat() if row.at else None, "label": row.label, "detail": row.detail, "url": url}
