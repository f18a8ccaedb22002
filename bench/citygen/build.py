"""Build, verify and find a city database: created under a temporary name, migrated with the app's Alembic
revisions, loaded, checked with the app's own checks, stamped in `bench_city_meta`, then renamed into place.

A city is reused while its stamp matches: same parameters, same generator version, and an end date that is the one
asked for (or, when none is asked for, at most `max_age_days` older than yesterday).

A later schema does not rebuild it (an hour or more): the city stays at the revision it was built with, and a
caller whose code has a newer Alembic head gets a copy of it (`CREATE DATABASE … TEMPLATE`) brought to that head
with the app's migrations, named after the head. Branches with different heads each get their own copy; only the
newest `KEEP_COPIES` copies of a city are kept (disk).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import queue
import time
import traceback
from datetime import date, datetime, timezone
from pathlib import Path

import psycopg
from psycopg import sql

from . import DOMAINS
from . import schema
from .base import Ids
from .chain import GlobalChain
from .params import GENERATOR_VERSION, CityParams, default_end_date
from .sink import Loader, Progress, Sink
from .verify import figures, verify
from .world import City, simulate

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "migrations"
META = "bench_city_meta"
KEEP_COPIES = 2
DEFAULT_BASE = "postgresql://postgres@127.0.0.1:5432"


def base_url() -> str:
    return os.environ.get("PG_URL", DEFAULT_BASE).rstrip("/")


def sqlalchemy_url(base: str, name: str) -> str:
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if base.startswith(prefix):
            return f"postgresql+psycopg://{base[len(prefix):]}/{name}"
    raise ValueError(f"not a PostgreSQL URL: {base}")


def plain_url(base: str) -> str:
    return base.replace("postgresql+psycopg://", "postgresql://", 1)


def alembic_head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def read_meta(base: str, name: str) -> dict | None:
    """The stamp of a city database, or None when it does not exist or was never finished."""
    try:
        with psycopg.connect(f"{plain_url(base)}/{name}", connect_timeout=10) as conn:
            if conn.execute("SELECT to_regclass(%s)", (META,)).fetchone()[0] is None:
                return None
            meta = dict(conn.execute(f"SELECT key, value FROM {META}").fetchall())
            meta["db_alembic"] = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            return meta
    except psycopg.OperationalError as e:
        if "does not exist" in str(e):
            return None
        raise


def stale_reason(meta: dict | None, params: CityParams, *, end_date_given: bool, max_age_days: int) -> str | None:
    """Why the existing city cannot be reused (None: it can)."""
    if meta is None:
        return "missing"
    if meta.get("verified") != "yes":
        return "not verified"
    if json.loads(meta.get("params", "{}")) != params.identity():
        return "other parameters"
    if meta.get("generator_version") != GENERATOR_VERSION:
        return f"generator version {meta.get('generator_version')} (now {GENERATOR_VERSION})"
    end = date.fromisoformat(meta["end_date"])
    if end_date_given and end != params.end_date:
        return f"ends {end} (asked for {params.end_date})"
    if not end_date_given and not 0 <= (params.end_date - end).days <= max_age_days:
        return f"ends {end}, more than {max_age_days} days before {params.end_date}"
    return None


def ensure_city(stores: int, days: int, *, seed: int = 1, end_date: date | None = None, rebuild: bool = False,
                base: str | None = None, name: str | None = None, max_age_days: int = 7,
                quiet: bool = False) -> str:
    """The SQLAlchemy URL of a ready, verified city database, built first when missing or stale."""
    url, _meta = ensure_city_meta(stores, days, seed=seed, end_date=end_date, rebuild=rebuild, base=base,
                                  name=name, max_age_days=max_age_days, quiet=quiet)
    return url


def ensure_city_meta(stores: int, days: int, *, seed: int = 1, end_date: date | None = None,
                     rebuild: bool = False, base: str | None = None, name: str | None = None,
                     max_age_days: int = 7, quiet: bool = False, resume: bool = False) -> tuple[str, dict]:
    """ensure_city, and the city's stamp (its dates, figures, build time, whether it was built just now).
    `resume`: a build that stopped after loading (killed while verifying) is verified and finished rather than
    simulated again."""
    params = CityParams(stores, days, seed, end_date or default_end_date())
    base = plain_url(base or base_url())
    name = name or params.db_name()
    progress = Progress(quiet=quiet)
    # One builder per city at a time: a second caller waits here and then finds the city ready.
    with psycopg.connect(f"{base}/postgres", autocommit=True) as lock:
        lock.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"bench-city:{name}",))
        meta = read_meta(base, name)
        reason = "rebuild asked for" if rebuild else stale_reason(meta, params, end_date_given=end_date is not None,
                                                                   max_age_days=max_age_days)
        built = "no"
        if reason is None:
            progress.say(f"reusing {name} (ends {meta['end_date']})")
        elif resume and _exists(base, f"{name}__building"):
            progress.say(f"resuming {name}: verifying the loaded {name}__building")
            finish(params, base, name, progress, counts=None, parts=max(1, min(2, os.cpu_count() or 1)),
                   started=time.monotonic())
            meta, built = read_meta(base, name), "resumed"
        else:
            progress.say(f"building {name}: {reason}")
            build(params, base, name, progress)
            meta, built = read_meta(base, name), "yes"
        head = alembic_head()
        if meta["db_alembic"] == head:
            return sqlalchemy_url(base, name), {**meta, "built": built}
        copy = at_head(base, name, head, progress)
        return sqlalchemy_url(base, copy), {**read_meta(base, copy), "built": built}


def at_head(base: str, name: str, head: str, progress: Progress) -> str:
    """A copy of city `name` migrated to `head` (made once per head; the oldest copies beyond KEEP_COPIES are
    dropped). The caller holds the city's advisory lock."""
    copy = f"{name}__{head}"[:63]
    meta = read_meta(base, copy)
    if meta is not None and meta.get("db_alembic") == head:
        return copy
    t = time.monotonic()
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy)))
        # TEMPLATE needs the source idle: end the (bench) sessions still connected to it.
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(copy), sql.Identifier(name)))
    app = _app(sqlalchemy_url(base, copy))
    with app.app_context():
        from flask_migrate import upgrade
        from supermarket.extensions import db

        upgrade(directory=str(MIGRATIONS))
        # A table the city's own revision lacks although its id is unchanged (the initial revision was rewritten
        # before it reached production) is created from the models; columns always come through revisions.
        db.metadata.create_all(db.engine, checkfirst=True)
        db.engine.dispose()
    with psycopg.connect(f"{base}/{copy}", autocommit=True) as conn:
        conn.execute(f"INSERT INTO {META} VALUES ('copied_at', %s) ON CONFLICT (key) DO UPDATE SET value = "
                     "EXCLUDED.value", (datetime.now(timezone.utc).isoformat(),))
        conn.execute("ANALYZE")
    progress.say(f"copied {name} to {copy} and migrated it to {head} in {time.monotonic() - t:.0f}s")
    _drop_old_copies(base, name, keep=copy)
    return copy


def _exists(base: str, name: str) -> bool:
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def _drop_old_copies(base: str, name: str, *, keep: str) -> None:
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        copies = [r[0] for r in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
            (name.replace("_", "\\_") + "\\_\\_%", keep)).fetchall() if not r[0].endswith("__building")]
    dated = sorted(((read_meta(base, c) or {}).get("copied_at", ""), c) for c in copies)
    for _at, old in dated[:max(0, len(dated) - (KEEP_COPIES - 1))]:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(old)))


def build(params: CityParams, base: str, name: str, progress: Progress, *, parts: int | None = None) -> dict:
    """Build the city under a temporary name and rename it into place. `parts`: processes simulating the
    stores (default: one per core, at most two)."""
    parts = parts or max(1, min(2, os.cpu_count() or 1, params.stores))
    started = time.monotonic()
    work = f"{name}__building"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(work)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(work)))
    conninfo = f"{base}/{work}"
    app = _app(sqlalchemy_url(base, work))
    with app.app_context():
        from flask_migrate import upgrade
        from supermarket.extensions import db

        upgrade(directory=str(MIGRATIONS))
        db.engine.dispose()
        progress.say(f"schema: migrated to {alembic_head()}")
        with psycopg.connect(conninfo) as conn:
            for domain in DOMAINS:
                if hasattr(domain, "prepare"):
                    domain.prepare(conn)
            conn.commit()
            saved = schema.capture(conn)
            schema.drop(conn, saved)
        progress.say(f"schema: {len(saved.constraints)} constraints and {len(saved.indexes)} indexes off for the load")
        config = _config(app, params.seed)
        counts = _generate(params, conninfo, config, progress, parts)
        progress.say(f"load: {sum(counts.values()):,} rows in {time.monotonic() - started:.0f}s")
        schema.restore(conninfo, saved, progress)
        t = time.monotonic()
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
        progress.say(f"vacuum analyze: {time.monotonic() - t:.1f}s")
    return finish(params, base, name, progress, counts=counts, parts=parts, started=started)


def finish(params: CityParams, base: str, name: str, progress: Progress, *, counts: dict | None, parts: int,
           started: float) -> dict:
    """Verify the loaded `<name>__building`, stamp it and rename it into place. `counts` (rows written by the
    simulation) is None when resuming a build that stopped after loading (`city.py --resume`): the checks then
    run on what the database holds, without comparing it to what was written."""
    work = f"{name}__building"
    conninfo = f"{base}/{work}"
    app = _app(sqlalchemy_url(base, work))
    with app.app_context():
        checks = verify(sqlalchemy_url(base, work), conninfo, progress, parts=parts)
        found = figures(conninfo)
    if counts is not None:
        _check_counts(counts, found)
    build_s = time.monotonic() - started
    stamp = {"params": json.dumps(params.identity(), sort_keys=True), "generator_version": GENERATOR_VERSION,
             "alembic_head": alembic_head(), "start_date": params.start_date.isoformat(),
             "end_date": params.end_date.isoformat(), "built_at": datetime.now(timezone.utc).isoformat(),
             "build_s": f"{build_s:.0f}", "figures": json.dumps(found, sort_keys=True),
             "checks": json.dumps(checks, sort_keys=True), "verified": "yes"}
    with psycopg.connect(conninfo) as conn:
        conn.execute(f"CREATE TABLE {META} (key text PRIMARY KEY, value text NOT NULL)")
        with conn.cursor() as cur:
            cur.executemany(f"INSERT INTO {META} VALUES (%s, %s)", list(stamp.items()))
    progress.say(f"built in {build_s:.0f}s; replacing {name}")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(work), sql.Identifier(name)))
    progress.say(f"ready: {name}")
    return stamp


def _generate(params: CityParams, conninfo: str, config: dict, progress: Progress, parts: int) -> dict:
    """Simulate the stores in `parts` processes while this one loads what they make (one transaction), then
    chain the city-wide audit events they gathered. Returns the rows written per table."""
    ctx = multiprocessing.get_context("fork")
    channel = ctx.Queue(maxsize=2 * parts + 1)
    jobs = [(params, config, part, parts, progress.quiet, progress.started) for part in range(parts)]
    procs = [ctx.Process(target=_run_part, args=(job, channel), daemon=True) for job in jobs]
    for proc in procs:
        proc.start()
    loader = None  # connected after the fork: a child must not inherit the loading connection
    counts: dict[str, int] = {}
    held: list = []
    try:
        loader = Loader(conninfo)
        done = 0
        while done < parts:
            try:
                message = channel.get(timeout=5)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in procs):
                    raise RuntimeError("a simulating process died") from None
                continue
            if message[0] == "batch":
                loader.load(message[1])
            elif message[0] == "done":
                done += 1
                held += message[2]
                for table, n in message[1].items():
                    counts[table] = counts.get(table, 0) + n
            else:
                raise RuntimeError(f"simulating part failed:\n{message[1]}")
        sink = Sink(loader.load)
        chain = GlobalChain(sink, Ids(f"{params.seed}:global"))
        chain.held = held
        chain.close()
        sink.flush()
        loader.commit()
    except BaseException:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        if loader is not None:
            loader.abort()
        raise
    finally:
        for proc in procs:
            proc.join(timeout=30)
    for table, n in sink.counts.items():
        counts[table] = counts.get(table, 0) + n
    return counts


def _run_part(job, channel) -> None:
    params, config, part, parts, quiet, started = job
    try:
        progress = Progress(quiet=quiet, started=started)
        sink = Sink(lambda batch: channel.put(("batch", batch)))
        city = City(params, sink, progress, config)
        simulate(city, DOMAINS, part=part, parts=parts)
        sink.flush()
        channel.put(("done", sink.counts, city.chain.held))
    except BaseException:
        channel.put(("error", traceback.format_exc()))
        raise


def drop_city(base: str, name: str) -> None:
    with psycopg.connect(f"{plain_url(base)}/postgres", autocommit=True) as conn:
        copies = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                             (name.replace("_", "\\_") + "\\_\\_%",)).fetchall()]
        for db_name in {name, f"{name}__building", *copies}:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db_name)))


def _app(url: str):
    from supermarket import create_app

    return create_app("config.TestConfig", SQLALCHEMY_DATABASE_URI=url)


def _config(app, seed: int) -> dict:
    """What the rows take from the app's settings: the PII key the test config hashes ID numbers with, and the
    demo's passwords and PINs hashed the demo's way (one hash each, with a salt fixed by the seed)."""
    from supermarket.auth.demo import DEMO_PIN
    from supermarket.demo import DEMO_HASH_METHOD, DEMO_PASSWORD
    from supermarket.points.demo import DEMO_PIN as RESIDENT_PIN

    def digest(secret: str, n: int) -> str:
        try:
            from werkzeug.security import _hash_internal
        except ImportError:  # a later Werkzeug: random salts, the rows differ only in these hashes
            from werkzeug.security import generate_password_hash
            return generate_password_hash(secret, method=DEMO_HASH_METHOD)
        salt = f"city{seed:06d}{n:06d}"
        hashed, method = _hash_internal(DEMO_HASH_METHOD, salt, secret)
        return f"{method}${salt}${hashed}"

    return {"pii_key": app.config["PII_HASH_KEY"], "password_hash": digest(DEMO_PASSWORD, 1),
            "pin_hash": digest(DEMO_PIN, 2), "resident_pin_hash": digest(RESIDENT_PIN, 3)}


def _check_counts(written: dict, found: dict) -> None:
    """Every row the generator sent arrived (COPY is all or nothing per batch, but a batch could be lost)."""
    tables = found.get("tables", {})
    wrong = {t: (n, tables.get(t)) for t, n in written.items() if tables.get(t) != n}
    if wrong:
        raise AssertionError(f"rows written vs found differ: {wrong}")


def city_meta(url: str) -> dict | None:
    """The stamp of the city at a SQLAlchemy URL (its dates, parameters, figures), or None."""
    base, name = url.rsplit("/", 1)
    return read_meta(plain_url(base), name)


def list_cities(base: str | None = None) -> list[tuple[str, dict]]:
    """The city databases on the server, with their stamps (empty for one never finished)."""
    base = plain_url(base or base_url())
    with psycopg.connect(f"{base}/postgres") as conn:
        names = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_city\\_%' "
                                            "AND datname NOT LIKE '%\\_\\_building' ORDER BY datname").fetchall()]
    return [(name, read_meta(base, name) or {}) for name in names]
