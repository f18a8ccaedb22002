"""Projects' domain errors (stable codes)."""
from ..errors import Conflict, InvalidInput, NotFound


class InsufficientBalance(Conflict):
    code = "projects.insufficient_balance"


class ProjectNotOpen(Conflict):
    code = "projects.project_not_open"


class AlreadyDesignated(Conflict):
    code = "projects.already_designated"


class UpdateExists(Conflict):
    code = "projects.update_exists"


class BadUpload(InvalidInput):
    code = "projects.bad_upload"


class UploadTooLarge(InvalidInput):
    code = "projects.upload_too_large"


class SessionClosed(Conflict):
    code = "projects.session_closed"


class SessionStarted(Conflict):
    code = "projects.session_started"


class ExplanationRequired(InvalidInput):
    code = "projects.explanation_required"


class NotReconciled(Conflict):
    code = "projects.not_reconciled"


class BadOrderFile(InvalidInput):
    code = "projects.bad_order_file"


class OrdersElsewhere(Conflict):
    code = "projects.order_already_imported"


class TillModeOn(Conflict):
    code = "projects.till_mode_on"


class UnknownSession(NotFound):
    code = "projects.unknown_session"
