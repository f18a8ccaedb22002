"""The compliance board (`/compliance`), a store's score card, a rule's exception rows with links to their
documents, and the N/A form (district auditor and federation). Scope is the service's: a store outside the
actor's answers 404 as if it did not exist."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from werkzeug.routing import BuildError

from ..auth.decorators import allow
from ..auth.permissions import Role
from ..errors import DomainError, NotFound
from ..exports import INT, SCORE, TEXT, col, export_response, page_args, requested_format
from ..extensions import db
from ..forms import Posted, submit
from ..web import current_actor, load
from . import service
from .results import FUNCTION_LABELS, FUNCTIONS
from .views import bp, grade_class

VIEWERS = (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR, Role.STORE_MANAGER)
NA_DECIDERS = (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR)
SORTS = ("total", "-total", "stars", "store")


class BoardQuery(Schema):
    district = fields.String(load_default=None, validate=validate.Length(max=20))
    stars = fields.String(load_default=None, validate=validate.Length(max=2))
    rule = fields.String(load_default=None, validate=validate.Length(max=20))
    red_line = fields.String(load_default=None, validate=validate.Length(max=20))
    sort = fields.String(load_default="total", validate=validate.OneOf(SORTS))


class NotApplicableForm(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=400))
    action = fields.String(load_default="mark", validate=validate.OneOf(("mark",)))


class ClearForm(Schema):
    action = fields.String(required=True, validate=validate.OneOf(("clear",)))


def _board_columns(result) -> list:
    """The grid as on screen: store, total, stars, red lines, then each rule's grade (— not assessed)."""
    columns = [col(_l("门店编号"), TEXT, "store_code"), col(_l("门店"), TEXT, "store_name"),
               col(_l("区县"), TEXT, "district_name"), col(_l("总分"), SCORE, "total"),
               col(_l("星级"), INT, "stars"),
               col(_l("红线"), TEXT, lambda s: " ".join(hit.id for hit in s.red_lines))]
    for i, r in enumerate(result.standard.rules):
        # the store's rules are in the standard's order (the page's grid relies on it too)
        columns.append(col(r.id, TEXT, lambda s, i=i: s.rules[i].grade or "—", width=6))
    return columns


@bp.get("/compliance")
@allow(*VIEWERS)
def board():
    actor = current_actor()
    fmt = requested_format()
    query = load(BoardQuery(), page_args())
    if fmt:  # a filter the service refuses is refused here, in Chinese, rather than downloading another list
        result = service.board(db.session, actor, **query)
        return export_response(_board_columns(result), result.stores, fmt, f"compliance-{result.as_of.isoformat()}")
    error = None
    try:
        result = service.board(db.session, actor, **query)
    except NotFound:
        raise
    except DomainError as e:  # a filter the service refused (an unknown rule, a star out of range): say so
        db.session.rollback()
        error = e.message
        result = service.board(db.session, actor, district=query["district"], sort=query["sort"])
        query.update(stars=None, rule=None, red_line=None)
    red_lines = [(s, hit) for s in result.stores for hit in s.red_lines]
    return render_template("standards/board.html", board=result, query=query, error=error, red_lines=red_lines,
                           grade_class=grade_class, sorts=SORTS)


@bp.get("/compliance/stores/<store_code>")
@allow(*VIEWERS)
def store(store_code):
    actor = current_actor()
    card = service.store_card(db.session, actor, store_code)
    doc = service.current_standard(db.session)
    return render_template("standards/store.html", card=card, doc=doc, grade_class=grade_class,
                           functions=FUNCTIONS, function_labels=FUNCTION_LABELS)


def _document_url(row) -> str | None:
    """The page of an exception's document; None when it has none (or its page is not there)."""
    if not row.endpoint:
        return None
    try:
        return url_for(row.endpoint, **row.url_kwargs)
    except BuildError:
        return None


@bp.route("/compliance/stores/<store_code>/rules/<rule_id>", methods=["GET", "POST"])
@allow(*VIEWERS)
def rule(store_code, rule_id):
    actor = current_actor()
    card = service.store_card(db.session, actor, store_code)
    score = next((r for r in card.rules if r.id == str(rule_id).strip().upper()), None)
    if score is None:
        raise NotFound(_("未知的规则：%(id)s", id=rule_id))
    then = url_for("standards.rule", store_code=card.store_code, rule_id=score.id)

    def page(posted=Posted()):
        rows = service.rule_exceptions(db.session, actor, card.store_code, score.id)
        decided = {r[0]: r for r in service.not_applicable_list(db.session, actor, card.store_code)}
        doc = service.current_standard(db.session)
        return render_template("standards/rule.html", card=card, score=score, rule_def=doc.rule(score.id),
                               rows=[(r, _document_url(r)) for r in rows], decided=decided.get(score.id),
                               can_decide=actor.role in NA_DECIDERS, grade_class=grade_class,
                               **posted.context), posted.status

    if request.method == "POST":
        if actor.role not in NA_DECIDERS:
            from ..errors import Forbidden

            raise Forbidden(_("只有区县慈善会或市慈善总会可以认定不适用"))
        if request.form.get("action") == "clear":
            return submit(ClearForm(), lambda _d: service.clear_not_applicable(db.session, actor, card.store_code,
                                                                              score.id),
                          done=_("已恢复 %(id)s 的评分", id=score.id), then=then, page=page, form="na")
        return submit(NotApplicableForm(), lambda d: service.mark_not_applicable(
            db.session, actor, card.store_code, score.id, reason=d["reason"]),
            done=_("已认定 %(id)s 不适用", id=score.id), then=then, page=page, form="na")
    return page()
