"""Route-matrix samples for flag URL parameters: a flag of the target store whose evidence label carries the
store's name marker, so a page that shows it to someone outside the store is caught."""
from datetime import date

from supermarket.flags import detect
from supermarket.flags.candidates import Candidate
from supermarket.models import utcnow
from supermarket.uow import unit_of_work

_made: dict = {}


def _flag(session, world, store):
    key = store.id
    if key not in _made or not _exists(session, _made[key]):
        c = Candidate("sales.burst", store.id, f"matrix:{store.code}", date(2026, 11, 27), date(2026, 11, 27))
        c.add_person("user", world.users[f"cashier-{store.code.lower()}"].id)
        c.add_evidence("sales", store.id, f"门店标记{store.code}", None)
        with unit_of_work(session):
            detect.write(session, [c], now=utcnow())
        from sqlalchemy import select

        from supermarket.flags.models import Flag

        _made[key] = session.scalar(select(Flag.id).where(Flag.subject == f"matrix:{store.code}"))
    return _made[key]


def _exists(session, flag_id):
    from supermarket.flags.models import Flag

    return session.get(Flag, flag_id) is not None


SAMPLES = {"flag_id": _flag}
