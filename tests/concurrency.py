"""The one thread harness of the concurrency tests (PostgreSQL): n workers released together by a barrier."""
from __future__ import annotations

import threading

from supermarket.errors import DomainError


def code_of(error: Exception):
    return error.code


def run_at_once(app, n: int, work, *, errors=DomainError, as_error=code_of, own_session: bool = False) -> list:
    """Run `work(session, i)` in `n` threads released at the same moment, each with its own app context and
    session; return, in thread order, what each returned or, for an exception of type `errors`,
    `as_error(exception)` (by default its error code). Any other exception is returned as it is, so a test
    sees it instead of a thread dying silently.

    `own_session`: give each worker a plain Session on the engine instead of the app's scoped session."""
    from sqlalchemy.orm import Session

    from supermarket.extensions import db

    results: list = [None] * n
    barrier = threading.Barrier(n)

    def worker(i: int) -> None:
        with app.app_context():
            session = Session(db.engine) if own_session else db.session
            try:
                barrier.wait()
                results[i] = work(session, i)
            except errors as e:  # noqa: BLE001 - collected for the test's assertions
                results[i] = as_error(e)
            except Exception as e:  # noqa: BLE001
                results[i] = e
            finally:
                session.close() if own_session else session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
