"""The AST mutator of tools/mutation.py: every statement of a module, module-level ones included.

A mutant is (node number in `ast.walk` order, operator, argument). Applying one re-parses the source, finds the
node by its number (parsing is deterministic), changes it and unparses the module: comments and layout go, the
code stays the same. The operators are the bugs that matter in this code base:

- comparisons flipped at their boundary (`<` ↔ `<=`, `>` ↔ `>=`, `==` ↔ `!=`, `in` ↔ `not in`, `is` ↔ `is not`);
- `and` ↔ `or`, `not x` → `x`, `+` ↔ `-`, `|` ↔ `&` (SQL conditions), `//` → `/`, `*` → `/`;
- integer constants ±1, strings changed (messages, kinds, codes), True ↔ False;
- a guard clause dropped (`if …: raise …` removed);
- a condition dropped from a `.where(…)` (a guarded UPDATE's guard, a store filter) and a key dropped from an
  `.order_by(…)` (expiring-first); `.asc()` ↔ `.desc()`, `.nulls_last()` removed;
- a keyword dropped from a model's constructor (`actor_id=…`), a value of a dict literal set to None.

Skipped: docstrings, annotations, imports, decorators, lines marked `# pragma: no mutate`, and the functions a
target lists in `skip` (each with its reason).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

_CMP = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
        ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_BIN = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.BitOr: ast.BitAnd, ast.BitAnd: ast.BitOr, ast.FloorDiv: ast.Div,
        ast.Mult: ast.Div}
_SQL_FILTERS = ("where", "filter", "order_by")


@dataclass(frozen=True)
class Mutant:
    node: int  # position in ast.walk order
    op: str
    arg: object
    line: int
    scope: str  # outermost function's qualname, "" for module-level statements
    text: str  # what changes, for people

    def key(self) -> str:
        return f"L{self.line}:{self.op}:{self.text}"


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """ids of nodes never mutated: docstrings, annotations, imports, decorators (and what they contain)."""
    out: set[int] = set()

    def drop(node):
        if node is not None:
            out.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                drop(body[0])
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            drop(node.returns)
            for d in node.decorator_list:
                drop(d)
            for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs:
                drop(a.annotation)
            for a in (node.args.vararg, node.args.kwarg):
                if a is not None:
                    drop(a.annotation)
        if isinstance(node, ast.ClassDef):
            for d in node.decorator_list:
                drop(d)
        if isinstance(node, ast.AnnAssign):
            drop(node.annotation)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            drop(node)
    return out


def _scopes(tree: ast.Module) -> dict[int, str]:
    """id(node) -> the qualname of the outermost function holding it (methods: Class.method)."""
    out: dict[int, str] = {}

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                for n in ast.walk(child):
                    out[id(n)] = name
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
    visit(tree, "")
    return out


def _src(node) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 70 else text[:67] + "..."


def mutants(source: str, skip_scopes=()) -> list[Mutant]:
    tree = ast.parse(source)
    lines = source.splitlines()
    skipped, scopes = _skipped_nodes(tree), _scopes(tree)
    out: list[Mutant] = []
    for number, node in enumerate(ast.walk(tree)):
        if id(node) in skipped or not hasattr(node, "lineno"):
            continue
        line = node.lineno
        if "pragma: no mutate" in lines[line - 1]:
            continue
        scope = scopes.get(id(node), "")
        if scope in skip_scopes or scope.split(".")[0] in skip_scopes:
            continue

        def add(op, arg, text):
            out.append(Mutant(number, op, arg, line, scope, text))

        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in _CMP:
                    add("cmp", i, f"{_src(node)}: {type(op).__name__} -> {_CMP[type(op)].__name__}")
        elif isinstance(node, ast.BoolOp):
            add("boolop", None, f"{_src(node)}: {'and -> or' if isinstance(node.op, ast.And) else 'or -> and'}")
        elif isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _BIN:
            add("binop", None, f"{_src(node)}: {type(node.op).__name__} -> {_BIN[type(node.op)].__name__}")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
            add("unary", None, f"{_src(node)} -> {_src(node.operand)}")
        elif isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool):
                add("const", not v, f"{v} -> {not v}")
            elif isinstance(v, int):
                add("const", v + 1, f"{v} -> {v + 1}")
                add("const", v - 1, f"{v} -> {v - 1}")
            elif isinstance(v, str):
                add("const", f"XX{v}XX", f"{v[:30]!r} -> 'XX…XX'")
        elif isinstance(node, ast.If) and not node.orelse and len(node.body) == 1 \
                and isinstance(node.body[0], ast.Raise):
            add("dropif", None, f"drop guard `if {_src(node.test)}: raise …`")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr = node.func.attr
            if attr in _SQL_FILTERS and not node.keywords:
                if len(node.args) >= 2:
                    for i, a in enumerate(node.args):
                        add("droparg", i, f".{attr}(…): drop {_src(a)}")
                elif len(node.args) == 1:
                    add("dropcall", None, f"drop .{attr}({_src(node.args[0])})")
            elif attr in ("asc", "desc") and not node.args:
                add("attr", "desc" if attr == "asc" else "asc", f".{attr}() -> .{'desc' if attr == 'asc' else 'asc'}()")
            elif attr in ("nulls_last", "nulls_first") and not node.args:
                add("dropcall", None, f"drop .{attr}()")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id[:1].isupper():
            for i, kw in enumerate(node.keywords):
                if kw.arg is not None:
                    add("dropkw", i, f"{node.func.id}(…): drop {kw.arg}=")
        if isinstance(node, ast.Dict):
            for i, (k, v) in enumerate(zip(node.keys, node.values)):
                if k is not None and not (isinstance(v, ast.Constant) and v.value is None):
                    add("dictnone", i, f"{{{_src(k)}: None}}")
    return out


def apply(source: str, mutant: Mutant) -> str:
    tree = ast.parse(source)
    parents = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            parents[id(child)] = parent
    node = next(n for i, n in enumerate(ast.walk(tree)) if i == mutant.node)
    op, arg = mutant.op, mutant.arg
    if op == "cmp":
        node.ops[arg] = _CMP[type(node.ops[arg])]()
    elif op == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif op == "binop":
        node.op = _BIN[type(node.op)]()
    elif op == "unary":
        _replace(parents[id(node)], node, node.operand)
    elif op == "const":
        node.value = arg
    elif op == "dropif":
        _replace(parents[id(node)], node, ast.Pass())
    elif op == "droparg":
        del node.args[arg]
    elif op == "dropcall":
        _replace(parents[id(node)], node, node.func.value)
    elif op == "attr":
        node.func.attr = arg
    elif op == "dropkw":
        del node.keywords[arg]
    elif op == "dictnone":
        node.values[arg] = ast.Constant(None)
    else:
        raise ValueError(op)
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _replace(parent, old, new) -> None:
    for field, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, field, new)
            return
        if isinstance(value, list):
            for i, v in enumerate(value):
                if v is old:
                    value[i] = new
                    return
    raise ValueError("node not found in its parent")
