"""The outreach domain's service functions, gathered from its topic modules."""
from .complaints import (PublicComplaintInput, answer_complaint, get_complaint, list_complaints,  # noqa: F401
                         overdue, public_status, record_complaint, submit_public)
from .events import EventInput, list_events, record_event  # noqa: F401
from .files import Upload, get_file  # noqa: F401
from .profile import (attach_document, clear_item, get_profile, set_opening_hours,  # noqa: F401
                      update_basics)
from .services_log import (add_service_type, list_logs, list_service_types, log_service,  # noqa: F401
                           set_service_type_active)
from .training import TrainingInput, list_trainings, opening_sessions, record_training  # noqa: F401
