"""Login, logout, the home redirect and user management pages."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from ..errors import TooManyAttempts
from ..extensions import db, limiter, login_rate_limit
from ..forms import Posted, post_form, submit
from ..stores import service as stores_service
from ..web import current_actor, form_data, is_safe_next
from . import service
from .decorators import allow, public
from .permissions import ALL_STAFF, Role, roles_assignable_by
from .schemas import LoginSchema, UserCreateSchema, UserUpdateSchema

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    error = None
    next_url = request.values.get("next")
    if request.method == "POST":
        posted = post_form(LoginSchema(), lambda data: service.authenticate(
            db.session, data["username"], data["password"], address=request.remote_addr or ""))
        if posted.ok:
            login_user(posted.result)
            return redirect(next_url if is_safe_next(next_url) else url_for("auth.home"))
        # Never say which of the two was wrong (or missing); only the throttle speaks for itself.
        error = posted.error if posted.status == TooManyAttempts.status else _("用户名或密码错误")
    status = 200 if error is None else 401
    return render_template("auth/login.html", error=error, next=next_url if is_safe_next(next_url) else None), status


@bp.post("/logout")
@allow(*ALL_STAFF)
def logout():
    logout_user()
    flash(_("您已退出登录"))
    return redirect(url_for("auth.login"))


@bp.get("/")
@allow(*ALL_STAFF)
def home():
    """Each role lands on its own home page."""
    actor = current_actor()
    if actor.role in (Role.FEDERATION_ADMIN, Role.DISTRICT_AUDITOR):
        # Oversight opens on the dashboard with the day's alerts (supermarket/oversight/).
        return redirect(url_for("oversight.dashboard"))
    return redirect(url_for("stores.store_home", store_id=actor.store_id))


@bp.get("/users")
@allow(Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
def users():
    actor = current_actor()
    return render_template("auth/users.html",
                           users=service.list_users(db.session, actor, page=request.args.get("page")))


@bp.route("/users/new", methods=["GET", "POST"])
@allow(Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
def user_new():
    actor = current_actor()

    def page(posted=Posted()):
        return render_template("auth/user_form.html", roles=roles_assignable_by(actor),
                               stores=stores_service.list_stores(db.session, actor),
                               districts=stores_service.list_districts(db.session, actor),
                               **posted.context), posted.status

    if request.method == "POST":
        return submit(UserCreateSchema(), lambda data: service.create_user(db.session, actor, **data),
                      done=lambda user: _("已创建账号 %(name)s", name=user.username), then=url_for("auth.users"),
                      page=page)
    return page()


@bp.route("/users/<uuid:user_id>", methods=["GET", "POST"])
@allow(Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
def user_edit(user_id):
    actor = current_actor()
    user = service.get_user(db.session, actor, user_id)

    def page(posted=Posted()):
        return render_template("auth/user_edit.html", user=user, tokens=service.list_tokens(db.session, actor, user.id),
                               **posted.context), posted.status

    if request.method == "POST":
        values = form_data(request.form)
        values["active"] = values.get("active") == "on"
        return submit(UserUpdateSchema(), lambda data: service.update_user(db.session, actor, user.id, **data),
                      values=values, done=_("已保存"), then=url_for("auth.users"), page=page)
    return page()


@bp.post("/users/<uuid:user_id>/tokens/<uuid:token_id>/revoke")
@allow(Role.STORE_MANAGER, Role.FEDERATION_ADMIN)
def token_revoke(user_id, token_id):
    actor = current_actor()
    service.get_user(db.session, actor, user_id)
    service.revoke_token(db.session, actor, token_id)
    flash(_("令牌已吊销"))
    return redirect(url_for("auth.user_edit", user_id=user_id))
