"""Every event type the code writes has a sentence; the sentences read money in yuan and people by name."""
from __future__ import annotations

import ast
import json
import pathlib
from types import SimpleNamespace

import supermarket
from supermarket.audit.sentences import SENTENCES, document_link, sentence

ROOT = pathlib.Path(supermarket.__file__).parent

# Call sites whose action is built from a value the AST cannot follow, each with every value it can take.
# A new dynamic call site fails the test until it is listed here (and its sentences written).
DYNAMIC = {
    ("flags/service.py", "f'flags.{outcome}'"): {"flags.explained", "flags.confirmed"},
    ("rating/review.py", "f'rating.proposal_{kind}'"): {"rating.proposal_yearly", "rating.proposal_downgrade"},
    ("sales/cash.py", "f'sales.cash_{kind}'"): {"sales.cash_paid_in", "sales.cash_paid_out", "sales.cash_no_sale"},
    ("rating/decisions.py", "f'rating.{status}'"): {"rating.expired", "rating.revoked", "rating.suspended",
                                                     "rating.valid"},
}


def _strings(node, names: dict) -> set[str] | None:
    """The strings an expression can evaluate to, or None when it cannot be followed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        a, b = _strings(node.body, names), _strings(node.orelse, names)
        return a | b if a is not None and b is not None else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a, b = _strings(node.left, names), _strings(node.right, names)
        return {x + y for x in a for y in b} if a is not None and b is not None else None
    if isinstance(node, ast.JoinedStr):
        out = {""}
        for part in node.values:
            vals = _strings(part.value if isinstance(part, ast.FormattedValue) else part, names)
            if vals is None:
                return None
            out = {x + y for x in out for y in vals}
        return out
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    return None


def _assigned_strings(tree) -> dict[str, set[str]]:
    """Names assigned string expressions anywhere in the module (module constants and local variables)."""
    names: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            vals = _strings(node.value, names)
            if vals is not None:
                names.setdefault(node.targets[0].id, set()).update(vals)
    return names


def written_actions() -> set[str]:
    """Every action passed to the audit's record(session, actor, action, …) anywhere in supermarket/."""
    found: set[str] = set()
    unknown = []
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _assigned_strings(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or len(node.args) < 3:
                continue
            func = node.func
            if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) != "record":
                continue
            values = _strings(node.args[2], names)
            key = (path.relative_to(ROOT).as_posix(), ast.unparse(node.args[2]))
            if values is None:
                values = DYNAMIC.get(key)
            if values is None:
                unknown.append(key)
                continue
            found |= {v for v in values if "." in v}
    assert not unknown, f"audit call sites whose action cannot be listed (add them to DYNAMIC): {unknown}"
    return found


def test_every_event_type_written_in_the_code_has_a_sentence():
    actions = written_actions()
    assert len(actions) > 100 and "aid.distributed" in actions and "points.pin_reset" in actions
    assert "intake.receipt_reprinted" in actions and "outreach.service_type_stopped" in actions
    missing = sorted(actions - set(SENTENCES))
    assert not missing, f"event types without a sentence in audit/sentences.py: {missing}"


def _event(action, summary, actor_name="manager-yl01", subject_type="", subject_id=""):
    return SimpleNamespace(action=action, summary=json.dumps(summary, ensure_ascii=False), actor_name=actor_name,
                           subject_type=subject_type, subject_id=subject_id)


def test_a_handout_reads_as_the_issue_asks(app):
    with app.test_request_context():
        text = sentence(_event("aid.distributed", {"serial": "YL01-A-1", "household": "DEMO-HH-1", "items": 3,
                                                   "value_fen": 2800, "witness": "cashier-yl01"}), "店长")
    assert text == "店长 manager-yl01 为 DEMO-HH-1 发放物资 3 件，价值 ¥28.00，见证人 cashier-yl01"


def test_missing_keys_read_as_a_dash_and_lists_as_counts(app):
    with app.test_request_context():
        text = sentence(_event("sales.sale_completed", {"number": "YL01-1", "lines": 2, "total_fen": -150,
                                                        "tenders": {"现金": 1000}}))
        assert text == "manager-yl01 完成销售 YL01-1：2 行，金额 -¥1.50（现金 ¥10.00）"
        assert "—" in sentence(_event("sales.shift_closed", {"number": "S1"}))
        assert sentence(_event("no.such_event", {})) == "manager-yl01 no.such_event"


def test_sentences_are_translated_to_english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        from flask_babel import force_locale

        with force_locale("en"):
            text = sentence(_event("sales.shift_opened", {"number": "S-9", "float_fen": 20000}))
    assert "S-9" in text and "¥200.00" in text and "开班" not in text


def test_a_document_link_only_for_a_real_id():
    import uuid

    sid = str(uuid.uuid4())
    assert document_link(_event("sales.sale_completed", {}, subject_type="sales", subject_id=sid)) == \
        ("sales.sale_detail", {"sale_id": sid})
    assert document_link(_event("flags.detected", {}, subject_type="flags", subject_id="run")) is None
