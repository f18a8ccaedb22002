"""The domains, in dependency order. Each may have views.py (`bp`), api.py (`bp`), cli.py (`cli`) and
demo.py (`load(session, ctx)`); the factory, the API, the CLI and `flask demo` discover them from this list."""
from __future__ import annotations

import importlib
import importlib.util

DOMAINS = ("stores", "auth", "audit", "jobs", "catalog", "inventory", "intake", "sales", "points", "aid",
           "projects", "outreach", "flags", "standards", "rating", "disclosure", "oversight")


def domain_modules(kind: str):
    """Yield (domain, module) for each domain that has `supermarket.<domain>.<kind>`."""
    for domain in DOMAINS:
        name = f"supermarket.{domain}.{kind}"
        if importlib.util.find_spec(f"supermarket.{domain}") and importlib.util.find_spec(name):
            yield domain, importlib.import_module(name)
