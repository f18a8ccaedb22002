"""Nothing registers itself by being imported: importing any module of supermarket/ leaves every shared registry
(any module-level list, dict or set of a module already loaded) as it was. What a domain adds to the shared
screens or the schedule is declared in supermarket/wiring.py and read when the app is built."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in a fresh interpreter so that what the rest of the suite imported does not hide anything.
_PROBE = r'''
import importlib, json, pkgutil, sys
import supermarket

def containers():
    """{module.attr: a comparable copy} of every module-level list/dict/set of the loaded supermarket modules."""
    out = {}
    for name, module in list(sys.modules.items()):
        if not (name == "supermarket" or name.startswith("supermarket.")) or module is None:
            continue
        for attr, value in vars(module).items():
            if attr.startswith("__") or not isinstance(value, (list, dict, set)):
                continue
            try:
                copy = sorted(map(repr, value)) if isinstance(value, (dict, set)) else list(map(repr, value))
            except Exception:
                copy = [str(len(value))]
            out[f"{name}.{attr}"] = copy
    return out

names = sorted(m.name for m in pkgutil.walk_packages(supermarket.__path__, "supermarket."))
changed = {}
for name in names:
    before = containers()
    importlib.import_module(name)
    after = containers()
    for key, value in before.items():
        if after.get(key) != value:
            changed.setdefault(name, []).append(key)
print(json.dumps({"imported": len(names), "changed": changed}))
'''


def test_importing_any_module_changes_no_shared_registry():
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["imported"] > 100
    assert report["changed"] == {}, f"modules that change a registry when imported: {report['changed']}"
