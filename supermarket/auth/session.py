"""Flask-Login wiring: cookie sessions for pages, bearer tokens for tablets and integrations."""
from __future__ import annotations

from flask import Flask, g, request

from ..extensions import db, login_manager
from . import service


def init_login(app: Flask) -> None:
    login_manager.init_app(app)

    @app.after_request
    def _record_failed_approvals(response):
        # After the view: its transaction is over, so the failures outlive its rollback.
        service.record_failed_approvals(db.session, address=request.remote_addr or "")
        return response

    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load_user(ident: str):
        return service.load_user(db.session, ident)

    @login_manager.request_loader
    def _load_from_token(req):
        header = req.headers.get("Authorization", "")
        # A token is for the JSON API; pages keep to cookie sessions (and their CSRF protection).
        if not header.startswith("Bearer ") or not req.path.startswith("/api/"):
            return None
        found = service.user_for_token(db.session, header[len("Bearer "):].strip())
        if found is None:
            return None
        user, token = found
        g.api_token = token
        return user
