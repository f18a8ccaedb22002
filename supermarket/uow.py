"""One business action, one transaction, owned by the outermost service."""
from contextlib import contextmanager

from sqlalchemy.orm import Session


def plain_session(session: Session) -> Session:
    """The Session itself when given Flask-SQLAlchemy's scoped_session (for its settings and `info`)."""
    return session.registry() if hasattr(session, "registry") else session


@contextmanager
def unit_of_work(session: Session, *, expire: bool = True):
    """Yield, then commit; on any error roll back and re-raise, so nothing is half-written.

    `expire=False` keeps the session's objects loaded after the commit instead of expiring them, for a caller
    that answers from what it has just written (the checkout): no reload queries after the commit.
    """
    real = plain_session(session)
    before = real.expire_on_commit
    real.expire_on_commit = expire
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        real.expire_on_commit = before
