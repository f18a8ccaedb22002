"""Scope and loading shared by the rating services: another store's or district's record answers 404."""
from __future__ import annotations

import uuid

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth.permissions import Actor, Role, require
from ..stores.models import Store
from .errors import AssessmentNotFound, OutOfOrder, RoundClosed
from .models import Assessment, RatingRound

VIEWERS = (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR, Role.STORE_MANAGER)
STATUS_LABELS = {"draft": _l("草稿"), "submitted": _l("已提交待审核"), "returned": _l("退回修改"),
                 "onsite": _l("待现场核查"), "publicity": _l("公示中"), "decided": _l("已决定")}


def as_uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def load(session, actor: Actor, assessment_id, *, lock: bool = False) -> Assessment:
    require(actor.role in VIEWERS, _("您无权查看星级评定"))
    ident = as_uuid(assessment_id)
    row = session.get(Assessment, ident, with_for_update=lock, populate_existing=lock) if ident else None
    if row is None or not actor.can_see_store(row.store_id):
        raise AssessmentNotFound(_("找不到该评星申请"))
    return row


def require_manager(actor: Actor, a: Assessment) -> None:
    require(actor.role is Role.STORE_MANAGER and a.store_id in actor.store_ids, _("只有本店店长可以填写自评"))


def require_auditor(actor: Actor, a: Assessment) -> None:
    # The store's own district only (load() already answered 404 for another district); the federation never
    # reviews in a district's place.
    require(actor.role is Role.DISTRICT_AUDITOR and a.store_id in actor.store_ids,
            _("只有本区县慈善会审核员可以审核"))


def require_status(a: Assessment, *allowed: str) -> None:
    if a.status not in allowed:
        raise OutOfOrder(_("该申请当前状态为“%(status)s”，不能进行此操作", status=str(STATUS_LABELS[a.status])))


def store_of(session, a) -> Store:
    return session.get(Store, a.store_id)


def require_open_round(session, a) -> None:
    """Nothing changes in a closed round (its assessments, answers, checks, objections, decisions)."""
    rnd = session.get(RatingRound, a.round_id)
    if rnd is not None and rnd.status == "closed":
        raise RoundClosed(_("本轮评定“%(name)s”已关闭，不能再作任何修改", name=rnd.name))
