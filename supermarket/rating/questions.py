"""How a `self` rule is asked and graded. The default standard's self rules each have a question here; a self
rule added later without one is asked as yes/no (yes = A, no = D)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from .errors import BadAnswer

ZONES = ("捐赠接收区", "分拣整理区", "商品展示销售区", "物资发放区", "仓储区", "志愿服务区")
SIGNS = ("统一标识", "牌匾", "服务时间", "服务内容", "监督电话", "管理制度", "收支公示栏")
RULES = ("物资接收", "物资管理", "销售管理", "发放管理", "财务管理", "志愿者管理", "信息公开", "安全管理")


@dataclass(frozen=True)
class Question:
    kind: str                    # yes_no | numbers | checklist
    options: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()

    def grade(self, rule_id: str, value: dict) -> tuple[dict, str]:
        """The clean value and its grade; BadAnswer names the field."""
        if self.kind == "yes_no":
            yes = value.get("yes")
            if not isinstance(yes, bool):
                raise BadAnswer(_("请回答“是”或“否”"), fields={f"{rule_id}.yes": [_("请回答“是”或“否”")]})
            return {"yes": yes}, "A" if yes else "D"
        if self.kind == "checklist":
            checked = value.get("checked")
            if not isinstance(checked, list) or any(c not in self.options for c in checked):
                raise BadAnswer(_("请从清单中勾选"), fields={f"{rule_id}.checked": [_("请从清单中勾选")]})
            n, total = len(set(checked)), len(self.options)
            clean = {"checked": [c for c in self.options if c in checked]}
            if n == total:
                return clean, "A"
            return clean, "B" if n >= total - 2 else ("C" if n >= total // 2 else "D")
        numbers = {}
        for f in self.fields:
            v = value.get(f)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 or v > 100000:
                raise BadAnswer(_("请填写 0 到 100000 之间的数"), fields={f"{rule_id}.{f}": [_("请填写数字")]})
            numbers[f] = v
        return numbers, _area_grade(numbers)


def _area_grade(n: dict) -> str:
    area, zones = n.get("area_m2", 0), n.get("zones", 0)
    for grade, a, z in (("A", 60, 6), ("B", 40, 5), ("C", 20, 4)):
        if area >= a and zones >= z:
            return grade
    return "D"


QUESTIONS = {
    "C-01": Question("numbers", fields=("area_m2", "zones")),
    "C-02": Question("checklist", options=SIGNS),
    "C-05": Question("checklist", options=RULES),
}


def question(rule_id: str) -> Question:
    return QUESTIONS.get(rule_id, Question("yes_no"))
