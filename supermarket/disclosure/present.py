"""The frozen figures as labelled sections, the same for the public page, the PDF and the staff preview."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..i18n import yuan
from ..projects.importer import PLATFORM_LABELS

METHOD_LABELS = {"cash": _l("现金"), "wechat": _l("微信支付"), "alipay": _l("支付宝"), "bank_transfer": _l("银行转账")}
FUND_LABELS = {"donated": _l("捐赠物资义卖收入"), "purchased": _l("自购商品销售收入")}
REASON_LABELS = {"damaged": _l("损坏"), "expired": _l("过期"), "recalled": _l("召回"), "other": _l("其他")}
FIGURE_LABELS = {
    "goods_in": _l("捐赠物资"), "money_in": _l("捐赠款项"), "sales": _l("销售收入"), "aid": _l("救助发放"),
    "points": _l("志愿积分"), "projects": _l("慈善项目"), "livestream": _l("直播义买"), "stock_end": _l("月末库存"), "write_offs": _l("报损"),
}


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: list


def _units(n: int) -> str:
    return _("%(n)d 件", n=n)


def sections(f: dict) -> list[Section]:
    """Every figure group in a fixed order; zero rows are kept (a month with no aid says so)."""
    g, m, s, a, p, w = f["goods_in"], f["money_in"], f["sales"], f["aid"], f["points"], f["write_offs"]
    goods = [Row(_("受赠次数"), str(g["donations"])), Row(_("物资件数"), _units(g["units"])),
             Row(_("物资估值"), yuan(g["value_fen"])), Row(_("无法估值的物资（另计，不计入估值）"), _units(g["unvalued_units"]))]
    goods += [Row(_("其中 %(name)s", name=c["name"]), f"{_units(c['units'])} · {yuan(c['value_fen'])}")
              for c in g["by_category"]]
    money = [Row(_("捐款笔数"), str(m["donations"])), Row(_("捐款合计（捐赠资金）"), yuan(m["total_fen"]))]
    money += [Row(str(METHOD_LABELS.get(k, k)), yuan(v)) for k, v in m["by_method"].items()]
    sales = [Row(_("销售单数"), str(s["receipts"])), Row(_("销售收入合计"), yuan(s["total_fen"]))]
    sales += [Row(str(FUND_LABELS.get(k, k)), yuan(v)) for k, v in s["by_fund"].items()]
    aid = [Row(_("服务户数"), str(a["households"])), Row(_("发放次数"), str(a["handouts"])),
           Row(_("发放物资价值"), yuan(a["value_fen"]))]
    aid += [Row(_("其中 %(name)s", name=c["name"]), _("%(n)d 户次 · %(v)s", n=c["handouts"], v=yuan(c["value_fen"])))
            for c in a["by_category"]]
    aid += [Row(_("活动：%(name)s", name=c["name"]), _("%(n)d 户次 · %(v)s", n=c["handouts"], v=yuan(c["value_fen"])))
            for c in a["campaigns"]]
    points = [Row(_("发放积分"), str(p["issued"])), Row(_("兑换积分"), str(p["redeemed"]))]
    projects, live = _projects(f.get("projects"))
    stock = [Row(_("月末库存件数"), _units(f["stock_end"]["units"]))]
    wo = [Row(_("报损件数"), _units(w["units"])), Row(_("报损价值"), yuan(w["value_fen"]))]
    wo += [Row(_("原因：%(r)s", r=REASON_LABELS.get(k, k)), f"{_units(v['units'])} · {yuan(v['value_fen'])}")
           for k, v in w["by_reason"].items() if v["units"]]
    return [Section(k, str(FIGURE_LABELS[k]), rows) for k, rows in (
        ("goods_in", goods), ("money_in", money), ("sales", sales), ("aid", aid), ("points", points),
        ("projects", projects), ("livestream", live), ("stock_end", stock), ("write_offs", wo))]


LEVEL_LABELS = {"district": _l("区县项目"), "city": _l("全市项目")}


def _projects(group) -> tuple[list, list]:
    """The projects and livestream rows. A version published before projects were part of the close has None
    there: it says so rather than showing zeros it never contained."""
    if group is None:
        note = [Row(_("本版本公示时尚未纳入此项"), "—")]
        return note, list(note)
    rows = [Row(_("本月项目筹款合计"), yuan(group["raised_fen"])), Row(_("本月项目支出合计"), yuan(group["spent_fen"]))]
    for p in group["projects"]:
        if "balance_fen" in p:
            rows.append(Row(p["name"], _("本月筹 %(r)s · 本月支出 %(s)s · 累计筹 %(tr)s · 累计支出 %(ts)s · 结余 %(b)s",
                                         r=yuan(p["raised_fen"]), s=yuan(p["spent_fen"]),
                                         tr=yuan(p["raised_to_date_fen"]), ts=yuan(p["spent_to_date_fen"]),
                                         b=yuan(p["balance_fen"]))))
        else:
            rows.append(Row(_("%(name)s（%(level)s）", name=p["name"], level=LEVEL_LABELS.get(p["level"], p["level"])),
                            _("本月在本店筹 %(r)s", r=yuan(p["raised_fen"]))))
    live = [Row(_("本月结束对账的场次"), str(len(group["sessions"])))]
    for s in group["sessions"]:
        live.append(Row(_("%(day)s %(title)s（%(platform)s）→ %(project)s", day=s["held_on"], title=s["title"],
                          platform=PLATFORM_LABELS.get(s["platform"], s["platform"]), project=s["project"]),
                        _("记录销售 %(r)s · 平台结算 %(p)s · 实收 %(m)s", r=yuan(s["recorded_fen"]),
                          p=yuan(s["platform_total_fen"]), m=yuan(s["received_fen"]))))
    return rows, live


PART_LABELS = {
    "total_fen": _l("合计"), "donations": _l("笔数"), "units": _l("件数"), "value_fen": _l("价值"),
    "unvalued_units": _l("无法估值件数"), "receipts": _l("销售单数"), "handouts": _l("发放次数"),
    "households": _l("服务户数"), "issued": _l("发放"), "redeemed": _l("兑换"), "by_category": _l("分类明细"),
    "campaigns": _l("活动"), "raised_fen": _l("筹款"), "spent_fen": _l("支出"), "projects": _l("项目明细"),
    "sessions": _l("直播场次"),
}


def change_label(path: str) -> str:
    """`money_in.by_method.alipay` → 捐赠款项 · 支付宝 (the group's name, then each part in words)."""
    parts = path.split(".")
    words = [str(FIGURE_LABELS.get(parts[0], parts[0]))]
    for i, part in enumerate(parts[1:], 1):
        before = parts[i - 1]
        table = {"by_method": METHOD_LABELS, "by_fund": FUND_LABELS, "by_reason": REASON_LABELS}.get(before)
        if part in ("by_method", "by_fund", "by_reason"):
            continue
        words.append(str((table or PART_LABELS).get(part, part)))
    return " · ".join(words)
