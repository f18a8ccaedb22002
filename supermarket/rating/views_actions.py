"""The rating pages' forms: one POST route per action, each one service call through supermarket.forms.submit
(refused: the same page again with the values kept and each message beside its field)."""
from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _

from ..auth.decorators import allow, public
from ..auth.permissions import Role
from ..extensions import db, limiter
from ..forms import NoFields, submit
from ..models import utcnow
from ..uploads import Upload
from ..web import current_actor, form_data
from . import decisions, findings, onsite, questions, review, service
from .forms import (AnswerForm, CloseForm, DecideForm, FindingForm, ObjectionAnswerForm, ObjectionForm,
                    OnsiteForm, RejectForm, RespondForm, ReturnForm, RoundForm, ScheduleForm, SubmitForm)
from .views import bp
from .views_public import publicity_page
from .views_staff import assessment_page, findings_page, queue_page, round_page

OVERSIGHT = (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR)


def _files(name: str) -> list[Upload]:
    return [Upload(f.filename or "", f.stream.read()) for f in request.files.getlist(name) if f.filename]


def _on_assessment(assessment_id, schema, act, done, values=None, form=None):
    return submit(schema, act, done=done, values=values, form=form,
                  then=url_for("rating.assessment_page", assessment_id=assessment_id),
                  page=lambda posted: assessment_page(assessment_id, posted))


@bp.post("/rating/rounds")
@allow(*OVERSIGHT)
def open_round():
    actor = current_actor()
    return submit(RoundForm(), lambda d: service.open_round(db.session, actor, name=d["name"],
                                                            deadline=d["deadline"], district_code=d["district"],
                                                            now=utcnow()),
                  done=_("评定已发起，范围内每家门店都有一份待填写的自评"),
                  then=lambda rnd: url_for("rating.round_page", round_id=rnd.id), page=queue_page, form="round")


@bp.post("/rating/assessments/<assessment_id>/answer/<rule_id>")
@allow(Role.STORE_MANAGER)
def answer(assessment_id, rule_id):
    actor = current_actor()
    values = form_data(request.form)
    values["checked"] = request.form.getlist("checked")
    files = _files("evidence")

    def act(d):
        kind = questions.question(str(rule_id).upper()).kind
        if kind == "numbers":
            value = {"area_m2": d["area_m2"], "zones": d["zones"]}
        elif kind == "checklist":
            value = {"checked": d["checked"]}
        else:
            value = {"yes": {"yes": True, "no": False}.get(d["yes"])}
        return service.answer(db.session, actor, assessment_id, rule_id, value, files, now=utcnow())
    return _on_assessment(assessment_id, AnswerForm(), act, _("自评项已保存"), values=values,
                          form=f"answer-{str(rule_id).upper()}")


@bp.post("/rating/assessments/<assessment_id>/submit")
@allow(Role.STORE_MANAGER)
def submit_assessment(assessment_id):
    actor = current_actor()
    return _on_assessment(assessment_id, SubmitForm(), lambda d: service.submit(
        db.session, actor, assessment_id, stars_applied=d["stars_applied"], now=utcnow()),
        _("已提交，自动项数据已冻结，等待区县审核"), form="submit")


@bp.post("/rating/assessments/<assessment_id>/return")
@allow(Role.DISTRICT_AUDITOR)
def return_assessment(assessment_id):
    actor = current_actor()
    values = form_data(request.form)
    values["items"] = request.form.getlist("items")
    return _on_assessment(assessment_id, ReturnForm(), lambda d: service.return_items(
        db.session, actor, assessment_id, items=d["items"], reason=d["reason"], now=utcnow()),
        _("已退回所选项目"), values=values, form="return")


@bp.post("/rating/assessments/<assessment_id>/accept")
@allow(Role.DISTRICT_AUDITOR)
def accept_assessment(assessment_id):
    actor = current_actor()
    values = form_data(request.form)
    reviews = []
    for name, grade in values.items():
        if name.startswith("reviews.") and name.endswith(".grade"):
            rule = name[len("reviews."):-len(".grade")]
            reviews.append(service.ItemReview(rule, grade, values.get(f"reviews.{rule}.reason", "")))
    return _on_assessment(assessment_id, NoFields(), lambda _d: service.accept(
        db.session, actor, assessment_id, reviews=reviews, now=utcnow()),
        _("审核已完成"), values={}, form="accept")


@bp.post("/rating/assessments/<assessment_id>/schedule")
@allow(Role.DISTRICT_AUDITOR)
def schedule_onsite(assessment_id):
    actor = current_actor()
    values = form_data(request.form)
    values["inspectors"] = [n for n in request.form.getlist("inspectors") if n.strip()]
    return _on_assessment(assessment_id, ScheduleForm(), lambda d: onsite.schedule(
        db.session, actor, assessment_id, scheduled_on=d["scheduled_on"], inspectors=d["inspectors"],
        note=d["note"], now=utcnow()), _("现场核查已安排，门店可以看到日期与核查人"), values=values, form="schedule")


@bp.post("/rating/assessments/<assessment_id>/onsite")
@allow(Role.DISTRICT_AUDITOR)
def onsite_assessment(assessment_id):
    actor = current_actor()
    values = form_data(request.form)
    items = {k[len("items."):]: v for k, v in values.items() if k.startswith("items.")}
    notes = {k[len("notes."):]: v for k, v in values.items() if k.startswith("notes.")}
    item_photos = {name[len("photos."):]: _files(name) for name in request.files if name.startswith("photos.")}
    photos = _files("photos")
    # The page's verdict follows the results (passed unless an item is not met).
    return _on_assessment(assessment_id, OnsiteForm(), lambda d: onsite.onsite(
        db.session, actor, assessment_id, visited_on=d["visited_on"], items=items, notes=notes, passed=None,
        note=d["note"], second_auditor=d["second_auditor"], second_secret=d["second_secret"], photos=photos,
        item_photos=item_photos, now=utcnow()), _("现场核查已记录，结果进入公示"), values=values, form="onsite")


@bp.post("/rating/assessments/<assessment_id>/objections/<reference>/answer")
@allow(Role.DISTRICT_AUDITOR)
def answer_objection(assessment_id, reference):
    actor = current_actor()
    return _on_assessment(assessment_id, ObjectionAnswerForm(), lambda d: decisions.answer_objection(
        db.session, actor, assessment_id, reference, answer=d["answer"], now=utcnow()),
        _("异议已答复"), form=f"objection-{reference}")


@bp.post("/rating/assessments/<assessment_id>/decide")
@allow(*OVERSIGHT)
def decide_assessment(assessment_id):
    actor = current_actor()
    return _on_assessment(assessment_id, DecideForm(), lambda d: decisions.decide(
        db.session, actor, assessment_id, stars=d["stars"],
        reasons=[x for x in d["reasons"].splitlines() if x.strip()], late_reason=d["late_reason"], now=utcnow()),
        _("评定决定已作出"), form="decide")


@bp.post("/rating/findings")
@allow(Role.DISTRICT_AUDITOR)
def create_finding():
    actor = current_actor()
    files = _files("evidence")
    return submit(FindingForm(), lambda d: findings.record(db.session, actor, evidence=files, now=utcnow(), **d),
                  done=_("问题已记录，等待门店整改"), then=url_for("rating.findings_page"), page=findings_page,
                  form="finding")


@bp.post("/rating/findings/<finding_id>/respond")
@allow(Role.STORE_MANAGER)
def respond_finding(finding_id):
    actor = current_actor()
    files = _files("evidence")
    return submit(RespondForm(), lambda d: findings.respond(db.session, actor, finding_id, response=d["response"],
                                                            evidence=files, now=utcnow()),
                  done=_("整改情况已提交"), then=url_for("rating.findings_page"), page=findings_page,
                  form=f"respond-{finding_id}")


@bp.post("/rating/findings/<finding_id>/close")
@allow(Role.DISTRICT_AUDITOR)
def close_finding(finding_id):
    actor = current_actor()
    return submit(CloseForm(), lambda d: findings.close(db.session, actor, finding_id,
                                                        reopen=d["action"] == "reopen", now=utcnow()),
                  done=_("整改事项已更新"), then=url_for("rating.findings_page"), page=findings_page,
                  form=f"close-{finding_id}")


@bp.post("/rating/proposals/<proposal_id>/confirm")
@allow(Role.DISTRICT_AUDITOR)
def confirm_proposal(proposal_id):
    actor = current_actor()
    return submit(NoFields(), lambda _d: review.confirm_downgrade(db.session, actor, proposal_id, now=utcnow()),
                  done=_("已确认降级"), then=url_for("rating.home"), page=queue_page, form="proposal")


@bp.post("/rating/proposals/<proposal_id>/reject")
@allow(Role.DISTRICT_AUDITOR)
def reject_proposal(proposal_id):
    actor = current_actor()
    return submit(RejectForm(), lambda d: review.reject_downgrade(db.session, actor, proposal_id,
                                                                  reason=d["reason"], now=utcnow()),
                  done=_("已驳回降级建议，门店可以看到理由"), then=url_for("rating.home"), page=queue_page,
                  form=f"reject-{proposal_id}")


@bp.post("/rating/rounds/<round_id>/close")
@allow(*OVERSIGHT)
def close_round(round_id):
    actor = current_actor()
    return submit(NoFields(), lambda _d: decisions.close_round(db.session, actor, round_id, now=utcnow()),
                  done=_("本轮评定已关闭"), then=url_for("rating.round_page", round_id=round_id),
                  page=lambda posted: round_page(round_id, posted), form="close")


def objection_rate_limit() -> str:
    from ..settings import setting
    return setting("RATING_OBJECTION_RATE_LIMIT", "10 per hour")


@bp.post("/public/rating/assessments/<assessment_id>/object")
@public
@limiter.limit(objection_rate_limit)
def object_to(assessment_id):
    return submit(ObjectionForm(), lambda d: decisions.object_to(db.session, assessment_id, text=d["text"],
                                                                 contact=d["contact"], now=utcnow()),
                  done=lambda row: _("异议已收到，受理编号 %(ref)s，请妥善保存", ref=row.reference),
                  then=url_for("rating.publicity_page"), page=publicity_page, form=f"object-{assessment_id}")

