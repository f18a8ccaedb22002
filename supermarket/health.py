"""Liveness and database health for load balancers and monitoring."""
from flask import Blueprint, jsonify
from sqlalchemy import text

from .auth.decorators import public
from .extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # the point is to report it, not to raise
        db.session.rollback()
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return jsonify({"status": "ok" if status == 200 else "degraded", "database": database,
                    "dialect": db.engine.dialect.name}), status
