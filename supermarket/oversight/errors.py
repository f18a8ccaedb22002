from __future__ import annotations

from flask_babel import gettext as _

from ..errors import InvalidInput, NotFound


class InvalidPeriod(InvalidInput):
    code = "oversight.invalid_period"

    def default_message(self) -> str:
        return _("统计期间有误")


class ScopeNotFound(NotFound):
    """An unknown store or district and one outside the actor's scope answer the same, so nothing leaks."""
    code = "oversight.not_found"

    def default_message(self) -> str:
        return _("找不到该门店或区县，或您无权查看")


class UnknownTable(InvalidInput):
    code = "oversight.unknown_table"

    def default_message(self) -> str:
        return _("没有这张表，请从看板上的下载链接导出")
