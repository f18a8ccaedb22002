"""The outreach domain's errors, each with a stable code."""
from __future__ import annotations

from flask_babel import gettext as _

from ..errors import Conflict, InvalidInput, NotFound, TooManyAttempts


class BadUpload(InvalidInput):
    code = "outreach.bad_upload"

    def default_message(self) -> str:
        return _("上传的文件无法识别")


class UploadTooLarge(InvalidInput):
    code = "outreach.upload_too_large"

    def default_message(self) -> str:
        return _("上传的文件太大")


class UnknownServiceType(NotFound):
    code = "outreach.unknown_service_type"

    def default_message(self) -> str:
        return _("找不到该便民服务类型")


class DuplicateServiceType(Conflict):
    code = "outreach.duplicate_service_type"

    def default_message(self) -> str:
        return _("该便民服务类型已存在")


class UnknownMember(NotFound):
    code = "outreach.unknown_member"

    def default_message(self) -> str:
        return _("找不到该会员码对应的居民")


class UnknownComplaint(NotFound):
    code = "outreach.unknown_complaint"

    def default_message(self) -> str:
        return _("找不到该编号的投诉或反馈")


class AlreadyAnswered(Conflict):
    code = "outreach.already_answered"

    def default_message(self) -> str:
        return _("该投诉已答复")


class ComplaintFlood(TooManyAttempts):
    code = "outreach.complaint_flood"

    def default_message(self) -> str:
        return _("提交过于频繁，请稍后再试或拨打投诉电话")


class UnknownAttendee(NotFound):
    code = "outreach.unknown_attendee"

    def default_message(self) -> str:
        return _("参训人员不属于本店")


class BadOpeningHours(InvalidInput):
    code = "outreach.bad_opening_hours"

    def default_message(self) -> str:
        return _("营业时间有误")
