"""收支公示: a store's monthly disclosure on A4 portrait — sections of labelled figures, the version (and whether
a later correction superseded it), and the audit chain head that lets anyone verify the history behind it.

Plain data in, PDF bytes out: the app turns the frozen figures into labelled rows (money already as text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.platypus import Spacer

from printing.data import _Frozen
from printing.layout import mm
from printing.pages import PageFrame, build_document, grid_table, para, styles

TIME_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class DisclosureRow(_Frozen):
    label: str
    value: str


@dataclass(frozen=True)
class DisclosureSection(_Frozen):
    title: str
    rows: tuple[DisclosureRow, ...]


@dataclass(frozen=True)
class DisclosureData(_Frozen):
    """One version of a store's month. `superseded_note` is printed as a mark when a correction replaced it."""

    store_name: str
    store_code: str
    district_name: str
    month: date
    version: int
    serial_no: str
    published_at: datetime
    sections: tuple[DisclosureSection, ...]
    chain_head_hash: str
    chain_event_count: int
    figures_sha256: str
    reason: str = ""
    changes: tuple[str, ...] = ()
    superseded_note: str = ""
    verify_url: str = ""


def disclosure_title(data: DisclosureData) -> str:
    return f"{data.month.year}年{data.month.month}月收支公示"


def render_disclosure(data: DisclosureData) -> bytes:
    """The disclosure PDF; a superseded version carries the 已更正 mark on every page."""
    st = styles()
    store = f"{data.store_name}（{data.store_code}）"
    title = disclosure_title(data)
    story: list = [para(title, st.title),
                   para(f"公示单位：{store} · {data.district_name}", st.body),
                   para(f"版本：第 {data.version} 版　公示时间：{data.published_at.strftime(TIME_FORMAT)}", st.body)]
    if data.superseded_note:
        story.append(para(data.superseded_note, st.body))
    if data.reason:
        story.append(para(f"更正原因：{data.reason}", st.body))
    if data.changes:
        story.append(para("变动项目：" + "、".join(data.changes), st.body))
    story.append(Spacer(1, mm(3)))
    for section in data.sections:
        rows: list[list] = [[para(section.title, st.head), para("", st.head)]]
        rows += [[para(r.label, st.cell), para(r.value, st.cell_right)] for r in section.rows]
        story += [grid_table(rows, [110, 70]), Spacer(1, mm(3))]
    story.append(para(f"审计链头哈希：{data.chain_head_hash}", st.small))
    story.append(para(f"截至公示时事件数：{data.chain_event_count}　数据摘要：{data.figures_sha256}", st.small))
    if data.verify_url:
        story.append(para(f"核验：{data.verify_url}", st.small))
    frame = PageFrame(title=title, store=store, serial_no=data.serial_no,
                      time_text=f"公示时间 {data.published_at.strftime(TIME_FORMAT)}",
                      mark="已更正" if data.superseded_note else "")
    return build_document(story, frame)
