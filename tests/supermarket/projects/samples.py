"""Route-matrix samples for projects' URL parameters: a store project, a session and a voucher of the target
store, each carrying the store's marker."""
from datetime import date, timedelta

from supermarket.models import utcnow
from supermarket.projects import service
from supermarket.projects.files import Upload
from supermarket.projects.models import Project

from .factories import PDF, approval, cashier, open_project, register

_made: dict = {}


def _once(kind, make):
    def sample(session, world, store):
        key = (kind, store.id)
        if key not in _made:
            _made[key] = make(session, world, store).id
        return _made[key]
    return sample


def _project(session, world, store):
    return open_project(session, world, store.code, title=f"门店标记{store.code}项目", now=utcnow())


def _session(session, world, store):
    project = session.get(Project, _once("project", _project)(session, world, store))
    return register(session, world, project, code=store.code, now=utcnow(), starts_at=utcnow() + timedelta(days=1))


def _file(session, world, store):
    project_id = _once("project", _project)(session, world, store)
    service.record_advance(session, cashier(session, world, store.code), project_id, amount_fen=1000,
                           reason=f"门店标记{store.code}", approval=approval(store.code), now=utcnow())
    row = service.record_expenditure(session, cashier(session, world, store.code), project_id,
                                     service.ExpenditureInput(amount_fen=100, payee=f"门店标记{store.code}",
                                                              purpose="样例", spent_on=date.today(),
                                                              approval=approval(store.code),
                                                              voucher=Upload("v.pdf", PDF)), now=utcnow())
    return row.voucher


SAMPLES = {
    "project_id": _once("project", _project),
    "session_id": _once("session", _session),
    "file_id": _once("file", _file),
    "status": lambda s, w, store: "closed",
    "switch": lambda s, w, store: "off",
}
CITY_WIDE = {"status", "switch"}

