"""The one way a page posts a form: load it with a schema, call one service, then flash and redirect — or show
the same page again with the user's values and each message beside its field (nothing was written).

    @bp.route("/stores/<uuid:store_id>/periods", methods=["GET", "POST"])
    def period_closes(store_id):
        def page(posted=Posted()):
            return render_template("inventory/periods.html", ..., **posted.context), posted.status
        if request.method == "POST":
            return submit(CloseMonthSchema(), lambda data: periods.close_month(db.session, actor, ...),
                          done=_("已结账"), then=url_for("inventory.period_closes", store_id=store_id), page=page)
        return page()

A refused form keeps its values and errors under its own name (`form=`), so a page with several forms shows them
beside the form that was sent and never fills another form with them. A plain NotFound or Forbidden (another
store's id, the permission check) is not a form error: it goes to the app-wide handler (another store's id stays a
plain 404). Their subclasses (an unknown barcode, a wrong PIN, a refused approval) are the form's, shown beside it
with the error's own status (422, 404, 403, 409).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask import flash, g, redirect, request
from marshmallow import Schema

from .errors import DomainError, Forbidden, NotFound
from .extensions import db
from .validation import flatten, translate
from .web import form_data, load


class NoFields(Schema):
    """For a form that is only a button (close, confirm): nothing to load, the action does the rest."""


@dataclass
class Posted:
    """A submitted form: what the service returned, or the error to show next to the fields (and its status)."""

    result: object = None
    error: str | None = None
    fields: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    status: int = 200
    form: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.status < 400

    @property
    def context(self) -> dict:
        """Template variables: `error`, `fields`, `values` and `posted_form` (which form they belong to)."""
        return {"error": self.error, "fields": self.fields, "values": self.values, "posted_form": self.form,
                "posted": self}


def post_form(schema, act: Callable, values: dict | None = None, *, form: str | None = None) -> Posted:
    """Load the posted form with `schema` and call `act(data)` (one service call). A refused form is kept, with
    its values and per-field messages, for the page to show again."""
    values = form_data(request.form) if values is None else values
    try:
        posted = Posted(result=act(load(schema, values)), values=values, form=form)
    except DomainError as e:
        # A plain NotFound or Forbidden is about the page (another store's id, the permission check); their
        # subclasses (an unknown barcode, a wrong PIN, a refused approval) are about what was typed.
        if type(e) in (NotFound, Forbidden):
            raise
        db.session.rollback()
        posted = Posted(error=e.message, fields=flatten(translate(e.extra.get("fields", {}))), values=values,
                        status=e.status, form=form)
    g.posted = posted  # templates' form_values(name) reads it
    return posted


def submit(schema, act: Callable, *, done, then, page: Callable, values: dict | None = None,
           form: str | None = None):
    """Post a form: on success flash `done` and redirect to `then` (each a value or a function of the result);
    when refused, return `page(posted)` — the same page with the values kept and the messages by their fields."""
    posted = post_form(schema, act, values, form=form)
    if not posted.ok:
        return page(posted)
    message = done(posted.result) if callable(done) else done
    if message:
        flash(message)
    return redirect(then(posted.result) if callable(then) else then)
