"""Loading a civil-affairs list of households from CSV (`flask aid import FILE.csv`).

Every row is validated before anything is written (names, ID check digits, categories, dates, stores, numbers
repeated in the file or already live in the city); errors name the line, never the ID number. The good rows are
then registered in one transaction: all of them or none.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.permissions import Actor
from ..errors import DomainError
from ..stores.models import Store
from ..uow import unit_of_work
from .entitlements import list_categories
from .households import live_holder, check_id_number, register_household
from .models import Household

# Header aliases: the civil-affairs sheets use Chinese headers; English ones work too.
HEADERS = {
    "store_code": ("门店", "门店代码", "store", "store_code"),
    "head_name": ("户主姓名", "姓名", "户主", "head_name", "name"),
    "id_number": ("身份证号", "身份证号码", "id_number"),
    "phone": ("联系电话", "电话", "phone"),
    "community": ("社区", "所属社区", "community"),
    "address": ("住址", "地址", "家庭住址", "address"),
    "members": ("家庭人口", "人口", "members"),
    "category": ("类别", "救助类别", "category"),
    "proof_ref": ("证明材料", "证件编号", "proof_ref"),
    "verified_by": ("核实人", "verified_by"),
    "verified_on": ("核实日期", "verified_on"),
    "review_due": ("复核期限", "复核日期", "review_due"),
}
MAX_ROWS = 20000


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


@dataclass(frozen=True)
class GoodRow:
    line: int
    values: dict


def decode(raw: bytes) -> str:
    """UTF-8 (with or without Excel's BOM), else GB18030 as older sheets are saved."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def read_rows(text: str) -> list[tuple[int, dict]]:
    """(line number, {field: value}) for each data row; unknown columns are ignored."""
    reader = csv.DictReader(io.StringIO(text))
    columns = {}
    for header in reader.fieldnames or ():
        for field, aliases in HEADERS.items():
            if header.strip() in aliases:
                columns[header] = field
    rows = []
    for row in reader:
        values = {columns[k]: (v or "").strip() for k, v in row.items() if k in columns}
        rows.append((reader.line_num, values))
        if len(rows) > MAX_ROWS:
            break
    return rows


def _date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def validate_rows(session: Session, pii_key: str, rows, *, default_store: str | None = None, today: date,
                  progress=None) -> tuple[list[GoodRow], list[RowError]]:
    """Check every row; return the good ones (ready for register_household) and the errors by line."""
    stores = {s.code: s for s in session.scalars(select(Store))}
    categories = {}
    for c in list_categories(session, include_inactive=False):
        categories[c.code] = categories[c.name] = c
    seen: dict[str, int] = {}
    good, errors = [], []
    if len(rows) > MAX_ROWS:
        return [], [RowError(0, _("文件超过 %(n)d 行，请分批导入", n=MAX_ROWS))]
    for line, v in rows:
        if progress:
            progress(1)
        problems = []
        store = stores.get((v.get("store_code") or default_store or "").upper())
        if store is None:
            problems.append(_("门店代码不存在"))
        name = v.get("head_name", "")
        if not 1 <= len(name) <= 32:
            problems.append(_("户主姓名为空或过长"))
        hmac_value = None
        try:
            hmac_value, _last4 = check_id_number(pii_key, v.get("id_number", ""))
        except DomainError as e:
            problems.append(e.message)
        if hmac_value is not None:
            if hmac_value in seen:
                problems.append(_("身份证号与第 %(line)d 行重复", line=seen[hmac_value]))
            else:
                seen[hmac_value] = line
                holder = live_holder(session, hmac_value)
                if holder is not None:
                    problems.append(_("该身份证号已在门店 %(store)s 登记为有效家庭", store=holder.store.code))
        category = categories.get(v.get("category", ""))
        if category is None:
            problems.append(_("救助类别“%(cat)s”不存在", cat=v.get("category", "")[:16]))
        members = v.get("members") or "1"
        if not (members.isdigit() and 1 <= int(members) <= 30):
            problems.append(_("家庭人口须为 1–30"))
        try:
            verified_on = _date(v["verified_on"]) if v.get("verified_on") else today
            review_due = _date(v["review_due"]) if v.get("review_due") else None
        except ValueError:
            problems.append(_("日期格式应为 2026-11-27"))
            verified_on, review_due = today, None
        if len(v.get("phone", "")) > 20 or len(v.get("address", "")) > 200 or len(v.get("community", "")) > 64:
            problems.append(_("电话、社区或住址过长"))
        if problems:
            errors.extend(RowError(line, p) for p in problems)
            continue
        good.append(GoodRow(line, dict(
            store_id=store.id, head_name=name, id_number=v["id_number"], phone=v.get("phone", ""),
            community=v.get("community", ""), address=v.get("address", ""), members=int(members),
            category_code=category.code, proof_ref=v.get("proof_ref", "")[:100],
            verified_by=v.get("verified_by", "")[:64], verified_on=verified_on, review_due=review_due)))
    return good, errors


def import_rows(session: Session, actor: Actor, pii_key: str, good: list[GoodRow], *, now: datetime,
                progress=None) -> list[Household]:
    """Register the validated rows in one transaction. A row refused now (registered meanwhile elsewhere)
    rolls all of them back."""
    created = []
    with unit_of_work(session):
        for row in good:
            try:
                created.append(register_household(session, actor, pii_key=pii_key, now=now, commit=False,
                                                   **row.values))
            except DomainError as e:
                raise type(e)(_("第 %(line)d 行：%(msg)s", line=row.line, msg=e.message)) from e
            if progress:
                progress(1)
    return created
