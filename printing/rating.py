"""星级证书 and the assessment report (评定报告), on A4 portrait.

Plain data in, PDF bytes out. The certificate carries a QR code of the public page that says whether the star
is valid now (a printed certificate cannot be withdrawn; the page can say it was revoked). The report lists every
rule with its value, the store's grade, the district's grade and the reason of each override, and every evidence
file with its SHA-256."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from printing.barcodes import draw_qr
from printing.data import _Frozen
from printing.fonts import register_cjk_fonts
from printing.layout import mm
from printing.pages import PageFrame, build_document, grid_table, para, styles

NUMERALS = "零一二三四五"
TIME_FORMAT = "%Y-%m-%d %H:%M"


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class CertificateData(_Frozen):
    store_name: str
    store_code: str
    district_name: str
    stars: int
    number: str
    decided_on: date
    valid_from: date
    valid_until: date
    issuer: str
    verify_url: str


class _Stars(Flowable):
    """`n` five-pointed stars drawn as shapes (no glyph needed), centred on the frame's width."""

    def __init__(self, n: int, size_mm: float, width_mm: float) -> None:
        super().__init__()
        self.n, self.size, self.width, self.height = n, mm(size_mm), mm(width_mm), mm(size_mm)

    def draw(self) -> None:
        c = self.canv
        c.setFillColorRGB(0.80, 0.10, 0.10)
        gap = self.size * 0.25
        left = (self.width - self.n * self.size - (self.n - 1) * gap) / 2
        for i in range(self.n):
            cx, cy, r = left + i * (self.size + gap) + self.size / 2, self.size / 2, self.size / 2
            path = c.beginPath()
            for k in range(10):
                radius = r if k % 2 == 0 else r * 0.4
                angle = math.pi / 2 + k * math.pi / 5
                x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
                path.moveTo(x, y) if k == 0 else path.lineTo(x, y)
            path.close()
            c.drawPath(path, stroke=0, fill=1)


class _Qr(Flowable):
    def __init__(self, value: str, size_mm: float) -> None:
        super().__init__()
        self.value, self.size = value, mm(size_mm)
        self.width = self.height = self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.value, 0, 0, self.size)


def _plain(rows, widths_mm) -> Table:
    table = Table(rows, colWidths=[mm(w) for w in widths_mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("FONTNAME", (0, 0), (-1, -1), register_cjk_fonts().regular)]))
    return table


def render_certificate(data: CertificateData) -> bytes:
    if not 1 <= data.stars <= 5:
        raise ValueError("a certificate needs 1 to 5 stars")
    st = styles()
    store = f"{data.store_name}（{data.store_code}）"
    big = type(st.title)("big", parent=st.title, fontSize=30, leading=40)
    story: list = [Spacer(1, mm(20)), para("慈善超市星级证书", big), Spacer(1, mm(10)),
                   _Stars(data.stars, 18, 180), Spacer(1, mm(10)),
                   para(f"{data.store_name}", st.title),
                   para(f"经评定，{store}（{data.district_name}）为{NUMERALS[data.stars]}星级慈善超市。", st.body),
                   Spacer(1, mm(6)),
                   para(f"证书编号：{data.number}", st.body),
                   para(f"评定日期：{_day(data.decided_on)}", st.body),
                   para(f"有效期：{_day(data.valid_from)} 至 {_day(data.valid_until)}", st.body),
                   para(f"颁发单位：{data.issuer}", st.body), Spacer(1, mm(12)),
                   _plain([[_Qr(data.verify_url, 38),
                            para("扫码核验：页面显示本星级当前是否有效（有效、已暂停或已撤销）。星级以核验页面为准。"
                                 f"\n{data.verify_url}", st.small)]], [44, 136])]
    frame = PageFrame(title="慈善超市星级证书", store=store, serial_no=data.number,
                      time_text=f"有效期至 {_day(data.valid_until)}")
    return build_document(story, frame)


@dataclass(frozen=True)
class ReportRule(_Frozen):
    id: str
    name: str
    kind: str
    weight: float
    value: str
    store_grade: str
    grade: str
    points: float
    reason: str


@dataclass(frozen=True)
class ReportEvidence(_Frozen):
    rule: str
    purpose: str
    filename: str
    version: int
    sha256: str
    current: bool


@dataclass(frozen=True)
class ReportData(_Frozen):
    store_name: str
    store_code: str
    district_name: str
    round_name: str
    standard_version: int
    status: str
    stars_applied: int | None
    stars_allowed: int | None
    total: float | None
    submitted_at: datetime | None
    frozen_as_of: str
    rules: tuple[ReportRule, ...]
    evidence: tuple[ReportEvidence, ...]
    onsite: str = ""
    decision: str = ""
    objections: tuple[str, ...] = ()
    printed_at: datetime | None = None


KIND_LABELS = {"auto": "自动", "self": "自评", "audit": "现场"}


def render_report(data: ReportData) -> bytes:
    st = styles()
    store = f"{data.store_name}（{data.store_code}）"
    story: list = [para("星级评定报告", st.title),
                   para(f"门店：{store} · {data.district_name}　评定：{data.round_name}　标准第 {data.standard_version} 版",
                        st.body),
                   para(f"状态：{data.status}　申请星级：{data.stars_applied or '—'}　得分允许：{data.stars_allowed or 0} 星"
                        f"　总分：{'—' if data.total is None else f'{data.total:g}'}", st.body),
                   para("自动项数据冻结于：" + (data.frozen_as_of or "尚未提交")
                        + ("　提交时间：" + data.submitted_at.strftime(TIME_FORMAT) if data.submitted_at else ""),
                        st.body), Spacer(1, mm(3))]
    rows: list[list] = [[para(h, st.head) for h in ("规则", "名称", "类型", "权重", "数值", "门店", "审核", "得分", "改判理由")]]
    for r in data.rules:
        rows.append([para(r.id, st.cell), para(r.name, st.cell), para(KIND_LABELS.get(r.kind, r.kind), st.cell_center),
                     para(f"{r.weight:g}", st.cell_right), para(r.value, st.cell_right),
                     para(r.store_grade or "—", st.cell_center), para(r.grade or "—", st.cell_center),
                     para(f"{r.points:g}", st.cell_right), para(r.reason, st.cell)])
    story += [grid_table(rows, [14, 46, 11, 11, 16, 11, 11, 14, 46]), Spacer(1, mm(4))]
    if data.onsite:
        story.append(para("现场核查：" + data.onsite, st.body))
    for line in data.objections:
        story.append(para("异议：" + line, st.body))
    if data.decision:
        story.append(para("决定：" + data.decision, st.body))
    story.append(Spacer(1, mm(3)))
    ev: list[list] = [[para(h, st.head) for h in ("规则", "用途", "文件", "版本", "SHA-256")]]
    for e in data.evidence:
        ev.append([para(e.rule or "—", st.cell), para(e.purpose, st.cell), para(e.filename, st.cell),
                   para(f"{e.version}{'' if e.current else '（旧）'}", st.cell_center), para(e.sha256, st.small)])
    story += [para("证明材料", st.body), grid_table(ev, [14, 16, 40, 16, 94])]
    frame = PageFrame(title="星级评定报告", store=store, serial_no=data.store_code,
                      time_text=f"打印时间 {data.printed_at.strftime(TIME_FORMAT)}" if data.printed_at else "")
    return build_document(story, frame)
