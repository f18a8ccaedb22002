"""The charity supermarket application."""
from __future__ import annotations

import sqlite3

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import config_from_env


def create_app(config_object: str | None = None, **overrides) -> Flask:
    """Build the app: config, database, extensions, blueprints, errors, CLI."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config_object or config_from_env())
    app.config.update(overrides)
    check_config(app)
    register_request_reset(app)
    register_input_guard(app)
    register_security_headers(app)
    register_extensions(app)
    _cover_ledger_rows()
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_cli(app)
    return app


def _cover_ledger_rows() -> None:
    """Every ledger row goes under the audit chain: the session listeners of audit/rows.py."""
    from sqlalchemy.orm import Session

    from .audit.rows import install

    install(Session)


def check_config(app: Flask) -> None:
    if app.config.get("ENV_NAME") == "production":
        from config import ProductionConfig

        ProductionConfig.check(app.config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") and "DB_POOL_SIZE" in app.config:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"],
                                                   "pool_size": app.config["DB_POOL_SIZE"], "max_overflow": 10}
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # PostgreSQL's JIT compiles a query whose estimated cost passes jit_above_cost. The central read models
        # (daily facts, detectors, month closes) are such queries with small results, and compiling them cost
        # far more than running them: the facts of 90 days of 30 stores took 26 s, of which 22 s was LLVM
        # inlining and optimisation, and 4 s the query. Nothing here runs long enough to win it back.
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        connect_args = dict(options.get("connect_args") or {})
        connect_args["options"] = (connect_args.get("options", "") + " -c jit=off").strip()
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        from pathlib import Path

        Path(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys on; WAL with synchronous=FULL so a committed sale survives a power cut; wait when busy."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    from .settings import setting

    timeout = setting("SQLITE_BUSY_TIMEOUT_MS", 15000)
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA busy_timeout={int(timeout)}")
    cur.close()


def register_request_reset(app: Flask) -> None:
    """A request never inherits per-request state from an outer app context (as tests and CLI hold one)."""
    from flask import g

    @app.before_request
    def _fresh_request_state():
        for key in ("actor", "api_token", "_login_user", "_flask_babel"):
            g.pop(key, None)


def register_security_headers(app: Flask) -> None:
    from .security_headers import register_security_headers as register

    register(app)


def register_input_guard(app: Flask) -> None:
    from .input_guard import register_input_guard as register

    register(app)


def register_extensions(app: Flask) -> None:
    from .auth.session import init_login
    from .extensions import babel, csrf, db, limiter, migrate
    from .i18n import select_locale

    from . import idempotency, sequences  # noqa: F401  (shared tables: used keys, counters)
    from .domains import domain_modules

    for _domain, _models in domain_modules("models"):  # every table known to db.metadata and Alembic
        pass
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    init_login(app)


def register_blueprints(app: Flask) -> None:
    from .api import register_api
    from .domains import domain_modules
    from .health import bp as health_bp
    from .i18n import bp as i18n_bp

    for bp in (health_bp, i18n_bp):
        app.register_blueprint(bp)
    for _domain, views in domain_modules("views"):
        app.register_blueprint(views.bp)
    register_api(app)


def register_error_handlers(app: Flask) -> None:
    from .errors import register_error_handlers as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from .auth.permissions import ROLE_LABELS, TEMPLATE_PREDICATES, Role
    from .exports import export_url
    from .i18n import kg, local_date, local_datetime, stock_qty, yuan
    from .nav import nav_items
    from .privacy import mask_id_last4, mask_name, mask_phone
    from .web import current_actor
    from .wiring import template_predicates

    from flask_babel import get_locale

    predicates = {**TEMPLATE_PREDICATES, **template_predicates()}

    from flask import g

    def _form_values(name: str) -> dict:
        """The posted values if the form called `name` was the one sent, else nothing (no leak between forms)."""
        posted = getattr(g, "posted", None)
        return posted.values if posted is not None and posted.form == name else {}

    app.jinja_env.filters.update(local_datetime=local_datetime, local_date=local_date, yuan=yuan,
                                 stock_qty=stock_qty, kg=kg,
                                 # lists and oversight pages show 张*明, 138****5678 and ****1234
                                 mask_name=mask_name, mask_phone=mask_phone, mask_id=mask_id_last4)
    app.jinja_env.globals["get_locale"] = get_locale
    from .paging import page_url
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["export_url"] = export_url

    @app.context_processor
    def inject():
        return {"actor": current_actor(), "Role": Role, "ROLE_LABELS": ROLE_LABELS, "nav_items": nav_items,
                # a page that was not posted to has no refused form: empty defaults, overridden by Posted.context
                "error": None, "fields": {}, "values": {}, "posted_form": None, "form_values": _form_values,
                **predicates}


def register_cli(app: Flask) -> None:
    from .cli import register_commands

    register_commands(app)
