"""Every test asserts something that could fail: a test function must contain an `assert`, a `pytest.raises`
(or `pytest.warns`), or call a helper whose name starts with `assert_`, `check_` or `expect`."""
import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
HELPER_PREFIXES = ("assert", "check_", "expect")
# Tests that pass by not raising, with the reason. Keep this empty when you can.
EXCEPTIONS: dict[str, str] = {}


def _called_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _asserts(fn: ast.AST) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            name = _called_name(node)
            if name in ("raises", "warns") or name.startswith(HELPER_PREFIXES):
                return True
    return False


def functions_without_assertions(root: Path = TESTS) -> list[str]:
    found = []
    for path in sorted(root.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_"):
                where = f"{path.relative_to(root.parent)}::{node.name}"
                if where not in EXCEPTIONS and not _asserts(node):
                    found.append(where)
    return found


def test_every_test_function_asserts_something():
    assert functions_without_assertions() == []


def test_the_check_sees_a_test_without_an_assertion(tmp_path):
    (tmp_path / "test_sample.py").write_text("def test_nothing():\n    x = 1\n\n\ndef test_something():\n"
                                            "    assert 1\n")
    assert functions_without_assertions(tmp_path) == [f"{tmp_path.name}/test_sample.py::test_nothing"]
