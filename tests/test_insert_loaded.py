"""insert_loaded: rows written with one INSERT come back as clean persistent instances; a missing column is refused."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from supermarket.models import utcnow
from supermarket.writes import insert_loaded
from supermarket.stores.models import District


def test_rows_come_back_persistent_loaded_and_clean(session):
    row = {"id": uuid.uuid4(), "code": "ZZ", "name": "测试区", "created_at": utcnow()}
    row = {k: row.get(k) for k in District.__table__.columns.keys()}
    [district] = insert_loaded(session, District, [row])
    assert district in session and not session.new and not session.dirty
    assert district.name == "测试区"
    session.commit()
    session.expunge_all()
    assert session.scalar(select(District.name).where(District.id == row["id"])) == "测试区"


def test_a_missing_column_is_refused_before_anything_is_written(session):
    with pytest.raises(ValueError, match="code"):
        insert_loaded(session, District, [{"id": uuid.uuid4(), "name": "缺代码"}])
    assert session.scalar(select(District).where(District.name == "缺代码")) is None
