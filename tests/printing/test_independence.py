"""printing/ must stay usable without the app: no Flask, SQLAlchemy or supermarket imports."""

import ast
from pathlib import Path

import printing

FORBIDDEN = ("flask", "sqlalchemy", "supermarket", "flask_sqlalchemy", "werkzeug")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_printing_has_no_app_imports():
    files = sorted(Path(printing.__file__).parent.rglob("*.py"))
    assert len(files) > 5
    for path in files:
        for name in imported_modules(path):
            assert name.split(".")[0].lower() not in FORBIDDEN, f"{path.name} imports {name}"
