"""The standard as data: parse and serialise a StandardDoc, validate a draft (per-field Chinese messages), load
the YAML file, and the versions' life cycle (draft → published, published never edited)."""
from __future__ import annotations

import copy
import re
from datetime import date, datetime
from pathlib import Path

import yaml
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit
from ..auth.permissions import Actor, Role, require
from ..clock import local_today, utcnow
from ..uow import unit_of_work
from .errors import NotDraft, StandardInvalid
from .facts import VERSION_LOCK, advisory_lock
from .models import StandardVersion
from .results import FUNCTIONS, GRADES, KINDS, CategoryDef, RedLineDef, RuleDef, StandardDoc, StarBand

DEFAULT_FILE = Path(__file__).with_name("default_standard.yaml")
EFFECTS = ("cap", "downgrade", "unrated")
_RULE_ID = re.compile(r"^[A-Z]{1,2}-\d{2}$")
_EPS = 1e-6
DEFAULT_FROM = date(2020, 1, 1)


# --- StandardDoc <-> plain dict -------------------------------------------------------------------------------

def to_doc(body: dict, *, version: int | None = None, status: str = "draft",
           effective_from: date | None = None) -> StandardDoc:
    """A validated body as a StandardDoc."""
    return StandardDoc(
        version=version, status=status, effective_from=effective_from,
        window_days=int(body["window_days"]), grade_levels={k: float(v) for k, v in body["grade_levels"].items()},
        categories=[CategoryDef(c["code"], c["name_zh"], c.get("name_en", ""), float(c["weight"]))
                    for c in body["categories"]],
        rules=[RuleDef(r["id"], r["category"], r["name_zh"], r.get("name_en", ""), float(r["weight"]), r["kind"],
                       r.get("metric") if r["kind"] == "auto" else None, dict(r.get("thresholds") or {}),
                       r.get("description_zh", "")) for r in body["rules"]],
        red_lines=[RedLineDef(x["id"], x["name_zh"], x.get("name_en", ""), x["effect"], x.get("max_stars"),
                              int(x.get("downgrade") or 0)) for x in body["red_lines"]],
        stars=sorted((StarBand(int(s["stars"]), float(s["min_total"]), _opt_float(s.get("min_category_ratio")),
                               _opt_int(s.get("min_functions")), tuple(s.get("required_functions") or ()),
                               bool(s.get("onsite")), tuple(s.get("rule_gates") or ()))
                      for s in body["stars"]), key=lambda b: -b.stars),
    )


def to_body(doc: StandardDoc) -> dict:
    """A StandardDoc as the plain dict stored in a version's body (and accepted by update_draft)."""
    return {
        "window_days": doc.window_days, "grade_levels": dict(doc.grade_levels),
        "categories": [{"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en, "weight": c.weight}
                       for c in doc.categories],
        "rules": [{"id": r.id, "category": r.category, "name_zh": r.name_zh, "name_en": r.name_en,
                   "weight": r.weight, "kind": r.kind, "metric": r.metric, "thresholds": dict(r.thresholds),
                   "description_zh": r.description_zh} for r in doc.rules],
        "red_lines": [{"id": x.id, "name_zh": x.name_zh, "name_en": x.name_en, "effect": x.effect,
                       "max_stars": x.max_stars, "downgrade": x.downgrade} for x in doc.red_lines],
        "stars": [{"stars": s.stars, "min_total": s.min_total, "min_category_ratio": s.min_category_ratio,
                   "min_functions": s.min_functions, "required_functions": list(s.required_functions),
                   "onsite": s.onsite, "rule_gates": list(s.rule_gates)} for s in doc.stars],
    }


def _opt_float(v):
    return None if v is None else float(v)


def _opt_int(v):
    return None if v is None else int(v)


# --- validation -----------------------------------------------------------------------------------------------

def _num(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            return float(str(value)) if value not in (None, "") else None
        except ValueError:
            return None
    return float(value)


def validate(body: dict, *, known_rules: set[str] | None = None) -> dict[str, list[str]]:
    """Every problem of a standard body, by field path (`rules.D-02.weight`). Empty = valid.
    `known_rules`: when editing a draft, the rule ids it already has (a body may not invent others)."""
    from .metrics import METRICS

    errors: dict[str, list[str]] = {}

    def err(path: str, message: str) -> None:
        errors.setdefault(path, []).append(message)

    if not isinstance(body, dict):
        return {"body": [_("格式不正确")]}
    window = _num(body.get("window_days"))
    if window is None or window != int(window) or not 7 <= window <= 366:
        err("window_days", _("评分期须为 7 到 366 天"))
    levels = body.get("grade_levels") or {}
    values = [_num(levels.get(g)) for g in GRADES]
    if any(v is None or not 0 <= v <= 1 for v in values):
        err("grade_levels", _("等级得分比例须在 0 到 1 之间"))
    elif any(a < b for a, b in zip(values, values[1:])):
        err("grade_levels", _("等级得分比例须按 A ≥ B ≥ C ≥ D 排列"))

    categories = body.get("categories") or []
    cat_weights: dict[str, float] = {}
    for i, c in enumerate(categories):
        code = str(c.get("code") or "")
        w = _num(c.get("weight"))
        if not code:
            err(f"categories.{i}.code", _("必填"))
        elif code in cat_weights:
            err(f"categories.{code}.code", _("类别代码重复"))
        if not str(c.get("name_zh") or "").strip():
            err(f"categories.{code or i}.name_zh", _("必填"))
        if w is None or w < 0:
            err(f"categories.{code or i}.weight", _("权重须为不小于 0 的数字"))
        cat_weights[code] = w or 0.0
    if not categories:
        err("categories", _("至少需要一个类别"))
    elif abs(sum(cat_weights.values()) - 100) > _EPS:
        err("categories", _("各类别权重之和须为 100（现为 %(sum)s）", sum=_fmt(sum(cat_weights.values()))))

    rules = body.get("rules") or []
    rule_sums = {code: 0.0 for code in cat_weights}
    seen: set[str] = set()
    for i, r in enumerate(rules):
        rid = str(r.get("id") or "")
        path = f"rules.{rid or i}"
        if not _RULE_ID.match(rid):
            err(f"{path}.id", _("规则编号格式应如 D-02"))
        elif rid in seen:
            err(f"{path}.id", _("规则编号重复"))
        elif known_rules is not None and rid not in known_rules:
            err(f"{path}.id", _("未知的规则：%(id)s", id=rid))
        seen.add(rid)
        if r.get("category") not in cat_weights:
            err(f"{path}.category", _("未知的类别"))
        w = _num(r.get("weight"))
        if w is None or w < 0:
            err(f"{path}.weight", _("权重须为不小于 0 的数字"))
        elif r.get("category") in rule_sums:
            rule_sums[r["category"]] += w
        if not str(r.get("name_zh") or "").strip():
            err(f"{path}.name_zh", _("必填"))
        kind = r.get("kind")
        if kind not in KINDS:
            err(f"{path}.kind", _("类型须为 auto、self 或 audit"))
        if kind == "auto":
            if r.get("metric") not in METRICS:
                err(f"{path}.metric", _("自动规则须对应已知的指标"))
            _check_thresholds(r.get("thresholds"), f"{path}.thresholds", err)
    for code, total in rule_sums.items():
        if abs(total - cat_weights[code]) > _EPS:
            err(f"categories.{code}.weight",
                _("类别 %(code)s 的规则权重之和（%(sum)s）须等于类别权重（%(weight)s）",
                  code=code, sum=_fmt(total), weight=_fmt(cat_weights[code])))

    for i, x in enumerate(body.get("red_lines") or []):
        path = f"red_lines.{x.get('id') or i}"
        if x.get("effect") not in EFFECTS:
            err(f"{path}.effect", _("红线效果须为 cap、downgrade 或 unrated"))
        if x.get("effect") == "cap" and _num(x.get("max_stars")) is None:
            err(f"{path}.max_stars", _("封顶红线须写明最高星级"))

    bands = body.get("stars") or []
    for i, s in enumerate(bands):
        path = f"stars.{s.get('stars', i)}"
        total = _num(s.get("min_total"))
        if total is None or not 0 <= total <= 100:
            err(f"{path}.min_total", _("最低总分须在 0 到 100 之间"))
        ratio = s.get("min_category_ratio")
        if ratio is not None and (_num(ratio) is None or not 0 <= _num(ratio) <= 1):
            err(f"{path}.min_category_ratio", _("类别得分率须在 0 到 1 之间"))
        fn = s.get("min_functions")
        if fn is not None and (_num(fn) is None or not 0 <= _num(fn) <= len(FUNCTIONS)):
            err(f"{path}.min_functions", _("功能数须在 0 到 7 之间"))
        for f in s.get("required_functions") or ():
            if f not in FUNCTIONS:
                err(f"{path}.required_functions", _("未知的功能：%(name)s", name=f))
        for rid in s.get("rule_gates") or ():
            if rid not in seen:
                err(f"{path}.rule_gates", _("未知的规则：%(id)s", id=rid))
    ordered = sorted(((int(_num(s.get("stars")) or 0), _num(s.get("min_total")) or 0) for s in bands))
    if any(a[1] > b[1] for a, b in zip(ordered, ordered[1:])):
        err("stars", _("星级越高，最低总分不能越低"))
    return errors


def _check_thresholds(th, path: str, err) -> None:
    if not isinstance(th, dict):
        err(path, _("请填写 A、B、C 三档阈值"))
        return
    levels = [_num(th.get(g)) for g in ("A", "B", "C")]
    direction = th.get("direction", "min")
    if any(v is None for v in levels):
        err(path, _("请填写 A、B、C 三档阈值"))
    elif direction not in ("min", "max"):
        err(f"{path}.direction", _("方向须为 min 或 max"))
    elif direction == "min" and not levels[0] >= levels[1] >= levels[2]:
        err(path, _("阈值须按 A ≥ B ≥ C 排列"))
    elif direction == "max" and not levels[0] <= levels[1] <= levels[2]:
        err(path, _("阈值须按 A ≤ B ≤ C 排列"))
    for name, sub in (th.get("also") or {}).items():
        _check_thresholds(sub, f"{path}.also.{name}", err)


def _fmt(x: float) -> str:
    return f"{x:g}"


def checked(body: dict, *, known_rules: set[str] | None = None) -> dict:
    errors = validate(body, known_rules=known_rules)
    if errors:
        raise StandardInvalid(_("标准草稿有误，未保存"), fields=errors)
    return body


def read_yaml(path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as e:
        raise StandardInvalid(_("无法读取标准文件：%(error)s", error=str(e)[:200]), fields={"file": [_("格式不正确")]})
    if not isinstance(data, dict):
        raise StandardInvalid(_("标准文件格式不正确"), fields={"file": [_("格式不正确")]})
    return {k: v for k, v in data.items() if k in ("window_days", "grade_levels", "categories", "rules",
                                                     "red_lines", "stars")}


# --- versions -------------------------------------------------------------------------------------------------

def _published(session, on: date | None = None):
    stmt = select(StandardVersion).where(StandardVersion.status == "published")
    if on is not None:
        stmt = stmt.where(StandardVersion.effective_from <= on)
    return session.scalars(stmt.order_by(StandardVersion.version.desc()).limit(1)).first()


def version_doc(row: StandardVersion) -> StandardDoc:
    return to_doc(row.body, version=row.version, status=row.status, effective_from=row.effective_from)


def in_force(session, on: date | None = None, *, now: datetime | None = None) -> StandardDoc:
    """The published version in force on `on` (today by default). With none published yet the repository's
    default file is published as version 1 (so a new city always has a standard)."""
    on = on or local_today(now)
    row = _published(session, on) or _published(session)
    if row is None:
        # In force from long ago, so past as-of days are scored with it too. Two first readers at once: the
        # second waits for the first's version and uses it.
        with unit_of_work(session):
            advisory_lock(session, VERSION_LOCK)
            if _published(session) is None:
                body = checked(read_yaml(DEFAULT_FILE))
                row = _new_version(session, body, "system", DEFAULT_FROM, now or utcnow())
                audit.record(session, _system("system"), "standards.load", row,
                             {"version": row.version, "file": DEFAULT_FILE.name}, now=now)
        row = _published(session)
    return version_doc(row)


def by_version(session, version: int) -> StandardDoc | None:
    row = session.scalars(select(StandardVersion).where(StandardVersion.version == version)).first()
    return version_doc(row) if row else None


def load_file(session, path, *, actor_name: str = "system", effective_from: date | None = None,
              now: datetime | None = None) -> StandardDoc:
    """Publish the standard in a YAML file as a new version (nothing written if it is invalid)."""
    now = now or utcnow()
    body = checked(read_yaml(path))
    with unit_of_work(session):
        advisory_lock(session, VERSION_LOCK)
        row = _new_version(session, body, actor_name, effective_from or local_today(now), now)
        audit.record(session, _system(actor_name), "standards.load", row,
                     {"version": row.version, "file": Path(path).name}, now=now)
    return version_doc(row)


def _system(name: str) -> Actor:
    return Actor(user_id=None, username=name, role=Role.FEDERATION_ADMIN, all_stores=True)


def _new_version(session, body: dict, actor_name: str, effective_from: date, now: datetime) -> StandardVersion:
    number = (session.scalar(select(func.max(StandardVersion.version))) or 0) + 1
    row = StandardVersion(version=number, status="published", effective_from=effective_from, body=body,
                          created_by=actor_name, published_at=now, published_by=actor_name, created_at=now)
    session.add(row)
    session.flush()
    return row


def _draft_row(session) -> StandardVersion | None:
    return session.scalars(select(StandardVersion).where(StandardVersion.status == "draft")).first()


def _require_admin(actor: Actor) -> None:
    require(actor.role is Role.FEDERATION_ADMIN, _("只有市慈善总会可以编辑标准"))


def get_draft(session, actor: Actor, *, now: datetime | None = None) -> StandardDoc:
    _require_admin(actor)
    row = _draft_row(session)
    if row is None:
        base = to_body(in_force(session, now=now))
        with unit_of_work(session):
            row = StandardVersion(version=None, status="draft", body=base, created_by=actor.username,
                                  created_at=now or utcnow())
            session.add(row)
            session.flush()
            audit.record(session, actor, "standards.draft_created", row, {}, now=now)
    return version_doc(row)


def merge(base: dict, change: dict) -> dict:
    """`change` over `base`: scalar keys replace; lists of categories/rules/red lines/bands merge item by item
    on their key (code/id/stars), so a page may send only what it edits."""
    out = copy.deepcopy(base)
    keys = {"categories": "code", "rules": "id", "red_lines": "id", "stars": "stars"}
    for name, value in (change or {}).items():
        if name in keys and isinstance(value, list):
            key = keys[name]
            index = {str(item.get(key)): item for item in out.get(name, [])}
            for item in value:
                if not isinstance(item, dict):
                    continue
                target = index.get(str(item.get(key)))
                if target is None:
                    out.setdefault(name, []).append(copy.deepcopy(item))
                else:
                    target.update(copy.deepcopy(item))
        elif name in ("window_days", "grade_levels"):
            out[name] = copy.deepcopy(value)
    return out


def update_draft(session, actor: Actor, body: dict, *, now: datetime | None = None) -> StandardDoc:
    get_draft(session, actor, now=now)
    row = _draft_row(session)
    known = {r["id"] for r in row.body["rules"]}
    merged = checked(merge(row.body, body), known_rules=known)
    with unit_of_work(session):
        row.body = merged
        audit.record(session, actor, "standards.draft_updated", row, {"fields": sorted((body or {}).keys())},
                     now=now)
    return version_doc(row)


def publish_draft(session, actor: Actor, *, effective_from: date | None = None,
                  now: datetime | None = None) -> StandardDoc:
    _require_admin(actor)
    now = now or utcnow()
    row = _draft_row(session)
    if row is None:
        raise NotDraft(_("没有可发布的草稿"))
    checked(row.body)
    with unit_of_work(session):
        advisory_lock(session, VERSION_LOCK)
        row.version = (session.scalar(select(func.max(StandardVersion.version))) or 0) + 1
        row.status = "published"
        row.effective_from = effective_from or local_today(now)
        row.published_at, row.published_by = now, actor.username
        audit.record(session, actor, "standards.published", row, {"version": row.version,
                                                                   "effective_from": str(row.effective_from)},
                     now=now)
    return version_doc(row)
