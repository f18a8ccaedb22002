"""Chinese labels of the outreach codes (the stored values stay English codes)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

EVENT_KIND = {"day": _l("宣传日"), "community": _l("进社区"), "school": _l("学校"), "media": _l("媒体报道"),
              "online": _l("线上")}
CATEGORY = {"service": _l("服务态度"), "goods": _l("商品质量"), "price": _l("价格"), "aid": _l("物资发放"),
            "points": _l("积分"), "suggestion": _l("意见建议"), "other": _l("其他")}
CHANNEL = {"web": _l("网上"), "phone": _l("电话"), "visit": _l("来访")}
ZONE = {"intake": _l("捐赠接收区"), "sales": _l("义卖区"), "distribution": _l("物资发放区"),
        "volunteer": _l("志愿服务/积分兑换区"), "display": _l("宣传展示区"), "storage": _l("仓储区")}
SIGNAGE = {"logo_plaque": _l("统一标识和牌匾"), "purpose": _l("服务宗旨"), "scope": _l("服务范围"),
           "methods": _l("服务方式"), "address_phone": _l("地址和电话"), "complaint_phone": _l("投诉电话"),
           "rules_posted": _l("管理制度上墙")}
RULE = {"intake": _l("捐赠接收制度"), "stock": _l("库存管理制度"), "distribution": _l("物资发放制度"),
        "finance": _l("财务管理制度"), "volunteers": _l("志愿者管理制度"), "points": _l("积分管理制度"),
        "complaints": _l("投诉处理制度"), "disclosure": _l("信息公开制度")}
LEGAL_FORM = {"charity_org": _l("慈善组织"), "social_org": _l("其他社会组织"), "enterprise": _l("企业"),
              "community": _l("社区（居委会）"), "entrusted": _l("委托运营")}
WEEKDAY = (_l("星期一"), _l("星期二"), _l("星期三"), _l("星期四"), _l("星期五"), _l("星期六"), _l("星期日"))


def label(group: dict, code: str) -> str:
    return str(group.get(code, code))
