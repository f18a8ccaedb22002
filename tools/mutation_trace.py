"""pytest plugin of tools/mutation.py: which functions of the target modules each test calls.

Loaded with `-p mutation_trace` (tools/ on PYTHONPATH); MUTATION_TRACE_MODULES names the target modules
(comma-separated, dotted) and MUTATION_TRACE_OUT the JSON file written at the end: {"tests": {nodeid:
{"seconds": s, "calls": [[file, qualname], ...]}}}. Function level, like mutmut's own map. Rather than a trace
function (called for every Python call of the whole suite, which slowed it several times over), the target's
functions and methods are wrapped before any test runs, and every reference to them that other modules already
imported is pointed at the wrapper: the rest of the code runs at full speed.
"""
from __future__ import annotations

import functools
import importlib
import inspect
import json
import os
import sys
import time

import pytest

_seen: set = set()
_tests: dict = {}


def _wrap(fn, file: str, qualname: str):
    key = (file, qualname.split(".<locals>", 1)[0])

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        _seen.add(key)
        return fn(*args, **kwargs)
    return wrapper


def _instrument(module) -> dict:
    """Wrap the module's functions and its classes' methods and properties; {id(original): wrapper}."""
    file = os.path.abspath(module.__file__)
    swapped = {}
    for name, obj in list(vars(module).items()):
        if inspect.isfunction(obj) and obj.__module__ == module.__name__:
            swapped[id(obj)] = _wrap(obj, file, obj.__qualname__)
            setattr(module, name, swapped[id(obj)])
        elif inspect.isclass(obj) and obj.__module__ == module.__name__:
            for attr, value in list(vars(obj).items()):
                if inspect.isfunction(value):
                    setattr(obj, attr, _wrap(value, file, value.__qualname__))
                elif isinstance(value, property) and value.fget is not None:
                    setattr(obj, attr, property(_wrap(value.fget, file, value.fget.__qualname__), value.fset,
                                                value.fdel, value.__doc__))
                elif isinstance(value, (staticmethod, classmethod)):
                    setattr(obj, attr, type(value)(_wrap(value.__func__, file, value.__func__.__qualname__)))
    return swapped


def pytest_configure(config):
    names = [n for n in os.environ.get("MUTATION_TRACE_MODULES", "").split(",") if n]
    swapped = {}
    for name in names:
        swapped.update(_instrument(importlib.import_module(name)))
    # Modules imported on the way (`from .payments import settle`) still hold the originals: repoint them.
    for mod in list(sys.modules.values()):
        for attr, value in list(getattr(mod, "__dict__", {}).items()):
            if id(value) in swapped and value is not swapped[id(value)]:
                setattr(mod, attr, swapped[id(value)])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _seen.clear()
    started = time.monotonic()
    try:
        yield
    finally:
        _tests[item.nodeid] = {"seconds": round(time.monotonic() - started, 3), "calls": sorted(_seen)}


def pytest_sessionfinish(session, exitstatus):
    out = os.environ.get("MUTATION_TRACE_OUT")
    if out:
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"exitstatus": int(exitstatus), "tests": _tests}, f)
