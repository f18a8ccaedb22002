"""The auth domain's errors."""
from __future__ import annotations

from ..errors import Conflict, Forbidden, Unauthorized


class LoginFailed(Unauthorized):
    code = "auth.invalid_credentials"


class ApprovalFailed(Forbidden):
    code = "auth.approval_failed"


class UsernameTaken(Conflict):
    code = "auth.username_taken"
