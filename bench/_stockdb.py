"""Shared by the stock benches: a temp SQLite file with three stores and a large catalog, built with bulk inserts."""
from __future__ import annotations

import sys
import tempfile
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from supermarket import create_app  # noqa: E402
from supermarket.catalog.codes import gtin_check_digit  # noqa: E402
from supermarket.catalog.models import Category  # noqa: E402
from supermarket.extensions import db  # noqa: E402
from supermarket.stores.models import District, Store  # noqa: E402

NOW = datetime(2026, 11, 27, 4, 0, tzinfo=timezone.utc)
STORE_CODES = ("YL01", "YL02", "FR01")


def ean13(n: int) -> str:
    body = f"69{n:010d}"
    return body + str(gtin_check_digit(body))


def make_app(tmp: str):
    """The app on a fresh SQLite file in `tmp` (the test config: fast password hashes)."""
    app = create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(tmp) / 'bench.db'}")
    return app


def build_catalog(n_items: int) -> tuple[list, list[uuid.UUID], list[str]]:
    """Stores, one category and `n_items` items; returns (stores, item ids, barcodes). Needs an app context."""
    district = District(code="YL", name="岳麓区")
    db.session.add(district)
    db.session.flush()
    stores = [Store(code=code, name=f"门店{code}", district_id=district.id, status="open") for code in STORE_CODES]
    category = Category(code="GEN", name="日用品")
    db.session.add_all([*stores, category])
    db.session.commit()
    ids = [uuid.uuid4() for _ in range(n_items)]
    codes = [ean13(i) for i in range(n_items)]
    # Straight to the driver (SQLite stores a Uuid as 32 hex digits): 100,000 rows in a few seconds.
    created = NOW.strftime("%Y-%m-%d %H:%M:%S.%f")
    db.session.connection().exec_driver_sql(
        "INSERT INTO items (id, name, pinyin, category_id, unit, barcode, barcode_kind, kind, is_food,"
        " default_price_fen, active, created_at) VALUES (?, ?, ?, ?, '件', ?, 'ean13', 'purchased', 0, ?, 1, ?)",
        [(ids[i].hex, f"测试物品{i}", f"cswp{i}", category.id.hex, codes[i], 100 + i % 5000, created)
         for i in range(n_items)])
    db.session.commit()
    return stores, ids, codes


def temp_dir():
    return tempfile.TemporaryDirectory(prefix="stockbench-")


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
