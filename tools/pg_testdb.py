"""Run a command against a throwaway PostgreSQL database, dropped afterwards.

    python tools/pg_testdb.py run -- pytest -q

Sets TEST_DATABASE_URL for the command. The server is PG_URL (default postgresql://postgres@127.0.0.1:5432).
"""
import os
import subprocess
import sys
import uuid

import psycopg

BASE = os.environ.get("PG_URL", "postgresql://postgres@127.0.0.1:5432")


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "run" or "--" not in argv:
        print(__doc__)
        return 2
    cmd = argv[argv.index("--") + 1:]
    name = f"sm_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{BASE}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        # A throwaway database: its commits need not wait for the WAL to reach the disk (the suite commits some
        # tens of thousands of times). Visibility, locks and isolation are unchanged, so the concurrency tests
        # test the same thing; only a crash of the server could lose the last commits, of a database we drop.
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    try:
        env = dict(os.environ, TEST_DATABASE_URL=f"{BASE.replace('postgresql://', 'postgresql+psycopg://')}/{name}")
        print(f"PostgreSQL test database: {name}", flush=True)
        return subprocess.call(cmd, env=env)
    finally:
        with psycopg.connect(f"{BASE}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main(sys.argv))
