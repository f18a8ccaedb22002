"""The standard in force (read-only, every viewer of the board) and the federation's draft editor: weights,
thresholds, star gates and texts, each field's error beside it (update_draft's paths), then publish."""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import INCLUDE, Schema

from ..auth.decorators import allow
from ..auth.permissions import Role
from ..extensions import db
from ..forms import NoFields, Posted, submit
from ..web import current_actor, form_data
from . import service
from .results import FUNCTION_LABELS
from .views import bp

VIEWERS = (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR, Role.STORE_MANAGER)
# Form field → the draft body's (list, key): `rules.D-02.weight`, `rules.D-02.thresholds.A`, `stars.3.min_total`.
LISTS = {"categories": "code", "rules": "id", "stars": "stars"}
EDITABLE = {"categories": ("weight", "name_zh", "name_en"),
            "rules": ("weight", "name_zh", "name_en", "description_zh", "thresholds"),
            "stars": ("min_total", "min_category_ratio", "min_functions")}


class DraftForm(Schema):
    """Every field is a path into the draft (checked by the service, which reports by the same paths)."""

    class Meta:
        unknown = INCLUDE


def _number(text: str):
    """A typed number as a number; anything else as typed, for the service to refuse beside its field."""
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in text else value


def draft_body(values: dict) -> dict:
    """The posted fields as the partial draft body update_draft merges item by item."""
    items: dict[str, dict[str, dict]] = {name: {} for name in LISTS}
    for path, raw in values.items():
        parts = path.split(".")
        if len(parts) < 3 or parts[0] not in LISTS or parts[2] not in EDITABLE[parts[0]]:
            continue
        name, key, attr = parts[0], parts[1], parts[2]
        item = items[name].setdefault(key, {LISTS[name]: int(key) if name == "stars" and key.isdigit() else key})
        text = str(raw).strip()
        if attr == "thresholds":
            if len(parts) == 4 and parts[3] in ("A", "B", "C"):
                item.setdefault("thresholds", {})[parts[3]] = _number(text)
        elif attr in ("weight", "min_total", "min_category_ratio", "min_functions"):
            item[attr] = _number(text)
        else:
            item[attr] = text
    return {name: list(found.values()) for name, found in items.items() if found}


def _merge_thresholds(body: dict, doc) -> dict:
    """A rule's thresholds keep their direction (and any extra parts) when the page sends only A, B and C."""
    known = {r.id: r.thresholds for r in doc.rules}
    for rule in body.get("rules", []):
        if "thresholds" in rule:
            rule["thresholds"] = {**known.get(rule["id"], {}), **rule["thresholds"]}
    return body


@bp.get("/standards/current")
@allow(*VIEWERS)
def current():
    doc = service.current_standard(db.session)
    return render_template("standards/standard.html", doc=doc, function_labels=FUNCTION_LABELS)


@bp.route("/standards/draft", methods=["GET", "POST"])
@allow(Role.FEDERATION_ADMIN)
def draft():
    actor = current_actor()
    doc = service.get_draft(db.session, actor)

    def page(posted=Posted()):
        return render_template("standards/draft.html", doc=service.get_draft(db.session, actor),
                               function_labels=FUNCTION_LABELS, **posted.context), posted.status

    if request.method == "POST":
        values = form_data(request.form)
        return submit(DraftForm(), lambda _d: service.update_draft(db.session, actor,
                                                                   _merge_thresholds(draft_body(values), doc)),
                      done=_("草稿已保存"), then=url_for("standards.draft"), page=page, values=values,
                      form="draft")
    return page()


@bp.post("/standards/draft/publish")
@allow(Role.FEDERATION_ADMIN)
def publish():
    actor = current_actor()

    def page(posted=Posted()):
        return render_template("standards/draft.html", doc=service.get_draft(db.session, actor),
                               function_labels=FUNCTION_LABELS, **posted.context), posted.status

    return submit(NoFields(), lambda _d: service.publish_draft(db.session, actor),
                  done=lambda doc: _("已发布标准第 %(v)s 版", v=doc.version), then=url_for("standards.current"),
                  page=page, form="publish")
