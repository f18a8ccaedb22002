"""The plain result types the service hands to views, API and CLI (frozen; no ORM objects leak out)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

FUNCTIONS = ("publicity", "projects", "donations", "livestream", "distribution", "volunteering", "convenience")
FUNCTION_LABELS = {"publicity": "慈善宣传", "projects": "项目展示", "donations": "款物募捐", "livestream": "直播义买",
                   "distribution": "物资发放", "volunteering": "志愿服务及积分兑换", "convenience": "便民利民"}
KINDS = ("auto", "self", "audit")
GRADES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class CategoryDef:
    code: str
    name_zh: str
    name_en: str
    weight: float


@dataclass(frozen=True)
class RuleDef:
    id: str
    category: str
    name_zh: str
    name_en: str
    weight: float
    kind: str                 # 'auto' | 'self' | 'audit'
    metric: str | None
    thresholds: dict          # {"A": x, "B": y, "C": z, "direction": "min"|"max"}
    description_zh: str


@dataclass(frozen=True)
class RedLineDef:
    id: str
    name_zh: str
    name_en: str
    effect: str               # 'cap' | 'downgrade' | 'unrated'
    max_stars: int | None
    downgrade: int


@dataclass(frozen=True)
class StarBand:
    stars: int
    min_total: float
    min_category_ratio: float | None
    min_functions: int | None
    required_functions: tuple[str, ...]
    onsite: bool
    rule_gates: tuple[str, ...] = ()   # rules that must grade at least C (an N/A never passes)


@dataclass(frozen=True)
class StandardDoc:
    version: int | None       # None = the draft
    status: str               # 'draft' | 'published'
    effective_from: date | None
    window_days: int
    grade_levels: dict
    categories: list[CategoryDef]
    rules: list[RuleDef]
    red_lines: list[RedLineDef]
    stars: list[StarBand]

    def rule(self, rule_id: str) -> RuleDef | None:
        return next((r for r in self.rules if r.id == rule_id), None)


@dataclass(frozen=True)
class RuleScore:
    id: str
    category: str
    name_zh: str
    kind: str
    weight: float             # after N/A redistribution
    grade: str | None         # 'A'|'B'|'C'|'D'|'N/A'|None (None = self/audit rule not assessed yet → 0 points)
    points: float
    value: float | None
    numerator: int | None
    denominator: int | None
    note: str
    exceptions: int


@dataclass(frozen=True)
class CategoryScore:
    code: str
    name_zh: str
    points: float
    max_points: float
    ratio: float


@dataclass(frozen=True)
class RedLineHit:
    id: str
    name_zh: str
    effect: str
    detail: str


@dataclass(frozen=True)
class NextStar:
    stars: int
    missing: list[str]


@dataclass(frozen=True)
class StoreScore:
    store_code: str
    store_name: str
    district_code: str
    district_name: str
    as_of: date
    standard_version: int
    total: float
    stars: int                # 0 = 未达标
    categories: dict[str, CategoryScore]
    red_lines: list[RedLineHit]
    functions: dict[str, bool]
    next_star: NextStar | None
    rules: list[RuleScore]


@dataclass(frozen=True)
class Board:
    as_of: date
    standard: StandardDoc
    stores: list[StoreScore]
    star_distribution: dict[int, int]
    districts: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ExceptionRow:
    at: datetime | None
    label: str
    detail: str
    endpoint: str | None
    url_kwargs: dict
