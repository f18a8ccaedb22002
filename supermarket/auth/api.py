"""Tokens for tablets and integrations."""
from flask import Blueprint, g, request

from ..api import doc
from ..errors import NotFound
from ..extensions import db, limiter, login_rate_limit
from ..web import current_actor, load
from . import service
from .decorators import allow, public
from .permissions import ALL_STAFF
from .schemas import TokenRequestSchema, TokenSchema, UserSchema

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.post("/token")
@public
@limiter.limit(login_rate_limit)
@doc(summary="Exchange username and password for a bearer token", body=TokenRequestSchema,
     responses={201: TokenSchema})
def create_token():
    data = load(TokenRequestSchema(), request.get_json(silent=True))
    token, row = service.issue_token(db.session, data["username"], data["password"],
                                     address=request.remote_addr or "", label=data["label"])
    return TokenSchema().dump({"token": token, "token_id": row.id, "expires_at": row.expires_at}), 201


@bp.post("/token/revoke")
@allow(*ALL_STAFF)
@doc(summary="Revoke the bearer token used for this request")
def revoke_current_token():
    token = getattr(g, "api_token", None)
    if token is None:
        raise NotFound()
    service.revoke_token(db.session, current_actor(), token.id)
    return {"revoked": True}


@bp.get("/me")
@allow(*ALL_STAFF)
@doc(summary="The authenticated user", responses={200: UserSchema})
def me():
    actor = current_actor()
    return UserSchema().dump(service.get_user(db.session, actor, actor.user_id))
