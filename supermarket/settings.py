"""The one settings reader for code below the views (services, jobs, detectors).

Deployment settings live in `config.py` (read from the environment once); this returns the running app's value,
or the given default outside an app (a pure unit test or a script).
"""
from __future__ import annotations

from flask import current_app, has_app_context


def setting(name: str, default=None):
    """The app's configured value of `name`, else `default`."""
    if has_app_context():
        return current_app.config.get(name, default)
    return default
