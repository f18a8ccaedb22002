"""The migrations build the same schema as the models, on SQLite and on PostgreSQL."""
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine

from supermarket import create_app
from supermarket.extensions import db


def _diff_after_upgrade(url: str) -> list:
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(directory="migrations")
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, db.metadata)
        db.engine.dispose()
    return diff


def test_migrations_match_models_on_sqlite(tmp_path):
    assert _diff_after_upgrade(f"sqlite:///{tmp_path / 'm.db'}") == []


def test_a_migrated_database_starts_with_the_aid_categories(tmp_path):
    """Seed data the schema needs (a new city's household categories) comes with the migrations."""
    from sqlalchemy import text

    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'seed.db'}")
    with app.app_context():
        upgrade(directory="migrations")
        names = [r[0] for r in db.session.execute(text("SELECT name FROM aid_categories ORDER BY position"))]
        db.session.remove()
        db.engine.dispose()
    assert names == ["低保", "特困", "低保边缘", "残疾", "孤寡老人", "困境儿童", "临时救助"]


@pytest.mark.skipif(not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"),
                    reason="needs PostgreSQL")
def test_migrations_match_models_on_postgresql():
    base = os.environ["TEST_DATABASE_URL"].rsplit("/", 1)[0]
    name = f"sm_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        assert _diff_after_upgrade(f"{base}/{name}") == []
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_migrations_are_plain_and_in_order():
    """Revisions import no app code, keep no autogenerate boilerplate, and their numbers follow the chain."""
    import re
    from pathlib import Path

    files = sorted(Path("migrations/versions").glob("*.py"))
    chain = {}
    for f in files:
        text = f.read_text()
        assert "import supermarket" not in text and "from supermarket" not in text, f.name
        assert "please adjust" not in text, f.name
        rev = re.search(r"^revision = '([^']+)'", text, re.M).group(1)
        down = re.search(r"^down_revision = (?:'([^']+)'|None)", text, re.M).group(1)
        assert f.stem == rev, f"{f.name}: file name and revision id differ"
        chain[down] = rev
    order, rev = [], chain.get(None)
    while rev:
        order.append(rev)
        rev = chain.get(rev)
    assert order == [f.stem for f in files], "revisions must be numbered in the order of the chain"
