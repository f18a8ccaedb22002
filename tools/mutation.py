"""Mutation testing of the money, points, aid and stock rules: `make mutation` (not part of .ci/run: too slow).

    python tools/mutation.py [--targets payments,points] [--sample N | --all] [--seed S] [--jobs J]
                             [--only TEXT] [--list]

For each target module: change one thing in it (a mutant, tools/mutation_ops.py), run the target's own test
folder against the changed tree, and count the mutants some test noticed (killed: a test failed, the module
no longer imported, or the run timed out). A random sample of the mutants (fixed seed: the same sample each
run until the module changes) keeps a run near 20 minutes on two cores; `--all` runs every mutant.

Only the tests that can notice a mutant run: a first run of each test folder (cached in .mutation-cache/ until
any .py file under supermarket/ or tests/ changes) records which functions of the target each test calls;
a mutant inside a function runs the tests that call it, a module-level mutant every test that calls into the
module. Tests run fastest first, stopping at the first failure.

Prints `mutation_kill_rate_<target>: value` and `mutation_survivors_<target>: n`, then each survivor. The
survivors left are listed, each with why it cannot change behaviour, in docs/mutation-survivors.md.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mutation_ops  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".mutation-cache"
SEED = 21


@dataclass(frozen=True)
class Target:
    name: str
    files: str  # globs under the repository, space-separated
    tests: str  # the target's own test folder
    sample: int  # mutants per run (all of them if fewer)
    required: bool = True  # the four modules; the others run when they exist
    # Functions never mutated, with the reason: their mutants cannot be told apart on SQLite.
    skip: dict = field(default_factory=dict)


TARGETS = (
    Target("sales_payments", "supermarket/sales/payments.py", "tests/supermarket/sales", 30),
    Target("points_ledger", "supermarket/points/ledger.py", "tests/supermarket/points", 30),
    Target("aid_entitlements", "supermarket/aid/entitlements.py", "tests/supermarket/aid", 30),
    Target("inventory_ledger", "supermarket/inventory/ledger.py", "tests/supermarket/inventory", 35, skip={
        "lock_stock": "returns at once on SQLite (its row locks are PostgreSQL's); the pg-marked concurrency "
                      "tests of tests/supermarket/inventory cover it under tools/pg_testdb.py",
        "lock_item_balance": "a no-op UPDATE taken for its row lock, which only PostgreSQL's concurrency tests "
                             "can observe"}),
    Target("standards_metrics", "supermarket/standards/metrics.py", "tests/supermarket/standards", 15, False),
    Target("flags_detectors", "supermarket/flags/detectors*.py supermarket/flags/detectors/*.py",
           "tests/supermarket/flags", 20, False),
)

_IGNORE = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".mutation-cache", ".hypothesis", "bench",
                                 "node_modules", "instance", "screenshots", "*.pyc")


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def test_files(tests: str) -> dict[str, str]:
    """{test file: sha256} of the target's folder (and the shared tests/*.py)."""
    paths = list(ROOT.glob("tests/*.py")) + list(ROOT.glob(f"{tests}/**/*.py"))
    return {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()[:16] for p in sorted(paths)}


def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def pytest_cmd(args: list[str]) -> list[str]:
    return [python(), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--no-header", *args]


@dataclass
class Map:
    """Which tests call which functions of a target, from one run of its folder; `fresh`: test files added or
    changed since, whose tests are not mapped and so run for every mutant."""

    tests: dict
    fresh: list


def coverage_map(target: Target, files: list[str], workdir: Path, remap: bool) -> Map:
    cached = CACHE / f"map-{target.name}.json"
    now = test_files(target.tests)
    if cached.exists() and not remap:
        data = json.loads(cached.read_text())
        if now.get("tests/conftest.py") == data["files"].get("tests/conftest.py"):
            same = {f for f, h in now.items() if data["files"].get(f) == h}
            tests = {nid: t for nid, t in data["tests"].items() if nid.split("::")[0] in same}
            fresh = sorted(f for f in now if f not in same and f.startswith(target.tests) and
                           Path(f).name.startswith("test_"))
            return Map(tests, fresh)
    log(f"[{target.name}] mapping which tests call which functions: one run of {target.tests}")
    out = workdir / f"map-{target.name}.json"
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(workdir / "tools"),
               MUTATION_TRACE_MODULES=",".join(f.removesuffix(".py").replace(os.sep, ".") for f in files),
               MUTATION_TRACE_OUT=str(out))
    started = time.monotonic()
    done = subprocess.run(pytest_cmd(["-p", "mutation_trace", target.tests]), cwd=workdir, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0 or not out.exists():
        log(done.stdout[-3000:], done.stderr[-2000:])
        raise SystemExit(f"[{target.name}] the tests fail without any mutant: fix them first")
    raw = json.loads(out.read_text())["tests"]
    prefix = str(workdir) + os.sep
    tests = {nid: {"seconds": t["seconds"], "calls": [[f.removeprefix(prefix), q] for f, q in t["calls"]]}
             for nid, t in raw.items()}
    CACHE.mkdir(exist_ok=True)
    cached.write_text(json.dumps({"files": now, "tests": tests}))
    log(f"[{target.name}] mapped {len(tests)} tests in {time.monotonic() - started:.0f}s")
    return Map(tests, [])


def select_tests(tmap: Map, file: str, scope: str) -> list[str]:
    """The mapped tests that call the mutant's function (any function of the file for a module-level
    mutant), fastest first, then the unmapped test files whole."""
    def calls(t):
        return any(f == file and (not scope or q == scope or q.split(".")[0] == scope.split(".")[0])
                   for f, q in t["calls"])
    chosen = [nid for nid, t in tmap.tests.items() if calls(t)]
    return sorted(chosen, key=lambda nid: tmap.tests[nid]["seconds"]) + tmap.fresh


@dataclass
class Result:
    target: str
    ident: str
    file: str
    mutant: mutation_ops.Mutant
    status: str = ""  # killed, timeout, survived, no tests
    hand: bool = False  # picked with --also: reported apart, not in the sampled kill rate
    seconds: float = 0.0
    tests: int = 0


class Workers:
    """One copy of the tree per worker: a mutant is written into its copy, the tests run, the file goes back."""

    def __init__(self, jobs: int):
        self.base = Path(tempfile.mkdtemp(prefix="mutation-"))
        self.free = []
        for i in range(jobs):
            copy = self.base / f"w{i}"
            shutil.copytree(ROOT, copy, ignore=_IGNORE, symlinks=True)
            self.free.append(copy)
        self.lock = threading.Lock()

    def take(self) -> Path:
        with self.lock:
            return self.free.pop()

    def give(self, copy: Path) -> None:
        with self.lock:
            self.free.append(copy)

    def close(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)


def run_mutant(workers: Workers, result: Result, tmap: Map) -> Result:
    chosen = select_tests(tmap, result.file, result.mutant.scope)
    result.tests = len(chosen)
    if not chosen:
        result.status = "no tests"
        return result
    copy = workers.take()
    path = copy / result.file
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(mutation_ops.apply(original, result.mutant), encoding="utf-8")
        budget = 120 + 3 * sum(tmap.tests[n]["seconds"] if n in tmap.tests else 60 for n in chosen)
        started = time.monotonic()
        try:
            done = subprocess.run(pytest_cmd(["-x", *chosen]), cwd=copy, capture_output=True, text=True,
                                  timeout=budget, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
            result.status = {0: "survived", 5: "no tests"}.get(done.returncode, "killed")
        except subprocess.TimeoutExpired:
            result.status = "timeout"
        result.seconds = time.monotonic() - started
    finally:
        path.write_text(original, encoding="utf-8")
        workers.give(copy)
    return result


def sample(pool: list, n: int, seed) -> list:
    """n of the pool, module-level statements and function bodies in proportion (at least one of each)."""
    if n >= len(pool):
        return pool
    rnd = random.Random(seed)
    module = [p for p in pool if not p[2].scope]
    inner = [p for p in pool if p[2].scope]
    k = min(len(module), max(1 if module else 0, round(n * len(module) / len(pool))))
    chosen = rnd.sample(module, k) + rnd.sample(inner, min(len(inner), n - k))
    return sorted(chosen, key=lambda p: p[0])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--targets", help="comma-separated target names (default: all present)")
    parser.add_argument("--sample", type=int, help="mutants per target (default: each target's own)")
    parser.add_argument("--all", action="store_true", help="every mutant, no sampling")
    parser.add_argument("--seed", default=str(SEED))
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("MUTATION_JOBS", "2")))
    parser.add_argument("--only", action="append", help="run just the mutants whose id or text contains this "
                        "(repeatable: any of them)")
    parser.add_argument("--also", action="append", default=[],
                        help="also run the mutants whose id or text contains this (repeatable), reported apart "
                             "from the sample: the hand-made mutants of issue 21")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--remap", action="store_true", help="map the tests again (after code changes)")
    parser.add_argument("--tests", help="run only the test files of each target's folder matching this glob "
                        "(e.g. '*_edges.py'), without a map: a quick check, its kill rate a lower bound")
    args = parser.parse_args(argv)

    wanted = set(args.targets.split(",")) if args.targets else None
    plan: list[tuple[Target, list[str]]] = []
    for t in TARGETS:
        files = sorted({str(Path(f)) for g in t.files.split() for f in glob.glob(g, root_dir=ROOT)
                        if f.endswith(".py")})
        files = [f for f in files if (ROOT / f).is_file() and (ROOT / f).read_text().strip()]
        if wanted and t.name not in wanted:
            continue
        if not files:
            if t.required:
                raise SystemExit(f"{t.files}: not found")
            log(f"[{t.name}] {t.files}: not in this tree, skipped")
            continue
        plan.append((t, files))

    pools = {}
    for t, files in plan:
        pool = []
        for f in files:
            for i, m in enumerate(mutation_ops.mutants((ROOT / f).read_text(encoding="utf-8"), t.skip)):
                pool.append((f"{t.name}#{Path(f).stem}.{i}", f, m))
        if args.only:
            chosen = [p for p in pool if any(o in f"{p[0]} {p[2].key()}" for o in args.only)]
        elif args.all:
            chosen = pool
        else:
            chosen = sample(pool, args.sample or t.sample, f"{args.seed}:{t.name}")
        picked = {p[0] for p in chosen}
        hand = [p for p in pool if p[0] not in picked and any(o in f"{p[0]} {p[2].key()}" for o in args.also)]
        pools[t.name] = (pool, chosen, hand)
        if args.list:
            for ident, f, m in chosen:
                print(f"{ident}\t{f}:{m.line}\t{m.scope or '<module>'}\t{m.text}")
    if args.list:
        return 0

    workers = Workers(max(1, args.jobs))
    started = time.monotonic()
    summary = []
    live = [(t, files) for t, files in plan if pools[t.name][1] or pools[t.name][2]]

    def mapped(entry):
        t, files = entry
        if args.tests:
            return Map({}, sorted(str(p.relative_to(ROOT)) for p in (ROOT / t.tests).rglob(args.tests)))
        copy = workers.take()
        try:
            return coverage_map(t, files, copy, args.remap)
        finally:
            workers.give(copy)

    try:
        with ThreadPoolExecutor(max(1, args.jobs)) as ex:
            maps = dict(zip([t.name for t, _ in live], ex.map(mapped, live)))
        results = []
        for t, files in live:
            pool, chosen, _ = pools[t.name]
            log(f"[{t.name}] {len(chosen)} of {len(pool)} mutants, {len(maps[t.name].tests)} mapped tests, "
                f"unmapped files: {maps[t.name].fresh or 'none'}")
            results += [Result(t.name, ident, f, m) for ident, f, m in chosen]
        for t, files in live:  # the sample first: its figures are what a run is for
            results += [Result(t.name, ident, f, m, hand=True) for ident, f, m in pools[t.name][2]]
        with ThreadPoolExecutor(max(1, args.jobs)) as ex:
            for r in ex.map(lambda r: run_mutant(workers, r, maps[r.target]), results):
                log(f"  {r.status:9}{'*' if r.hand else ' '}{r.seconds:5.0f}s {r.tests:4} tests  {r.ident}  L{r.mutant.line} {r.mutant.text}")
        for t, files in live:
            summary.append((t, pools[t.name][0], [r for r in results if r.target == t.name]))
    finally:
        workers.close()

    report = {}
    for t, pool, everything in summary:
        results = [r for r in everything if not r.hand]
        for r in everything:
            if r.hand:
                print(f"  hand-made {r.ident} {r.file}:{r.mutant.line} [{r.status}] {r.mutant.text}")
        if not results:
            continue
        killed = sum(r.status in ("killed", "timeout") for r in results)
        survivors = [r for r in results if r.status not in ("killed", "timeout")]
        rate = killed / len(results)
        print(f"mutation_kill_rate_{t.name}: {rate:.3f}")
        print(f"mutation_survivors_{t.name}: {len(survivors)}")
        print(f"mutation_sampled_{t.name}: {len(results)} of {len(pool)}")
        for r in survivors:
            print(f"  survivor {r.ident} {r.file}:{r.mutant.line} ({r.mutant.scope or 'module'}) "
                  f"[{r.status}] {r.mutant.text}")
        report[t.name] = {"kill_rate": round(rate, 3), "sampled": len(results), "mutants": len(pool),
                          "survivors": [{"id": r.ident, "line": r.mutant.line, "scope": r.mutant.scope,
                                         "text": r.mutant.text, "status": r.status} for r in survivors]}
    print(f"mutation_minutes: {(time.monotonic() - started) / 60:.1f}")
    CACHE.mkdir(exist_ok=True)
    (CACHE / "last-run.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
