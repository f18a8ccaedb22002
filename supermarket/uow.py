"""One business action, one transaction, owned by the outermost service."""
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def unit_of_work(session: Session):
    """Yield, then commit; on any error roll back and re-raise, so nothing is half-written."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
