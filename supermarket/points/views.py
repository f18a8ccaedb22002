"""Points pages: staff (residents, shifts, the points table, oversight), the public notice, and the residents'
own phone pages under /me. Each part is a blueprint of its own, nested here."""
from datetime import timedelta

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..i18n import local_date
from ..privacy import mask_id_last4, mask_phone
from .views_admin import bp as admin_bp
from .views_credits import bp as credits_bp
from .views_me import bp as me_bp
from .views_residents import bp as staff_bp

bp = Blueprint("points", __name__, template_folder="templates")
for child in (staff_bp, credits_bp, admin_bp, me_bp):
    bp.register_blueprint(child)


LABELS = {
    "status": {"active": _l("正常"), "suspended": _l("暂停"), "closed": _l("注销")},
    "credit": {"pending": _l("待审核"), "published": _l("公示中"), "credited": _l("已入账"),
               "rejected": _l("已驳回"), "reversed": _l("已冲销")},
    "source": {"shift": _l("门店登记"), "integration": _l("市志愿服务平台"), "import": _l("批量导入")},
    "activity": {"hourly": _l("按小时"), "occurrence": _l("按次"), "deduction": _l("扣分")},
}


def _label(group):
    return lambda key: str(LABELS[group].get(key, key))


def hours(minutes) -> str:
    return "—" if not minutes else f"{minutes / 60:g}"


def expiry_day(expires_at) -> str:
    """The last day points can be used (they expire at the start of the next day)."""
    return local_date(expires_at - timedelta(microseconds=1)) if expires_at else ""


def expiry_label(table) -> str:
    if table.expiry_policy == "never":
        return str(_l("长期有效"))
    if table.expiry_policy == "months":
        return str(_l("获得后 %(n)d 个月", n=table.expiry_months or 12))
    return str(_l("次年 12 月 31 日"))


@bp.context_processor
def helpers():
    return {"mask_phone": mask_phone, "mask_id_last4": mask_id_last4, "status_label": _label("status"),
            "credit_status_label": _label("credit"), "source_label": _label("source"),
            "kind_label_activity": _label("activity"), "hours": hours, "expiry_day": expiry_day,
            "expiry_label": expiry_label}
