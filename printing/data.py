"""Input of every document: frozen dataclasses of plain values.

Money is int fen, quantities are int, times are aware datetimes already localised to Asia/Shanghai by the caller,
and names and ID numbers arrive already masked (张*明, ****1234): printing shows what it is given and looks
nothing up. Lists passed for tuple fields are turned into tuples; money that isn't int (TypeError) and naive
datetimes (ValueError) are refused. Each document carries its store name and code, a serial number and a time.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from printing.barcodes import validate_code


class _Frozen:
    """Shared checks: lists become tuples; money (`*_fen`) must be int; datetimes must be timezone-aware."""

    def __post_init__(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if f.name.endswith("_fen") and (not isinstance(value, int) or isinstance(value, bool)):
                raise TypeError(f"{type(self).__name__}.{f.name} must be int fen, got {value!r}")
            if isinstance(value, list):
                object.__setattr__(self, f.name, tuple(value))
            elif isinstance(value, datetime) and value.utcoffset() is None:
                raise ValueError(f"{type(self).__name__}.{f.name} must be an aware datetime")


# ---------------------------------------------------------------- till receipt


@dataclass(frozen=True)
class ReceiptLine(_Frozen):
    """One sold item. Negative qty/total for a returned item."""

    name: str
    qty: int
    unit_price_fen: int
    line_total_fen: int
    points_price: int | None = None  # a line paid in points: its points per unit (printed "积分", never ¥0.00)
    discount_fen: int = 0  # already taken off line_total_fen; printed under the line
    # A weighed item's grams: unit_price_fen is then per kg and the line prints "1.250 kg × ¥8.00/kg".
    weight_g: int | None = None


@dataclass(frozen=True)
class ReceiptPayment(_Frozen):
    """One tender: `method` is the Chinese label (现金, 微信支付, 支付宝, 积分); `points` spent, for 积分."""

    method: str
    amount_fen: int
    points: int | None = None
    reference: str = ""  # the WeChat / Alipay transaction number


@dataclass(frozen=True)
class ReceiptData(_Frozen):
    """A till receipt. `marker` is a short prominent word (作废, 退货); `notes` are extra lines (原单号 …).

    `reprint` prints a 副本 mark; `reprinted_at` (if given) is shown as the reprint time.
    """

    store_name: str
    store_code: str
    receipt_no: str
    sold_at: datetime
    cashier_name: str
    lines: tuple[ReceiptLine, ...]
    total_fen: int
    payments: tuple[ReceiptPayment, ...] = ()
    change_fen: int = 0
    marker: str = ""
    notes: tuple[str, ...] = ()
    reprint: bool = False
    reprinted_at: datetime | None = None
    footer: str = "感谢您对慈善事业的支持"
    store_address: str = ""
    store_phone: str = ""
    points_balance: int | None = None  # the resident's points left after this sale
    basket_discount_fen: int = 0  # the basket discount (already in the lines' discounts and totals)
    # Change for charity: what the customer gave (already out of change_fen) and to which project.
    donation_fen: int = 0
    donation_project: str = ""


# ---------------------------------------------------------------- shift close (Z report)


@dataclass(frozen=True)
class ZTender(_Frozen):
    """Takings for one tender: `expected_fen` from the ledger (for cash: float + cash sales − refunds),
    `counted_fen` what was counted or settled. The variance printed is counted − expected."""

    method: str
    expected_fen: int
    counted_fen: int


@dataclass(frozen=True)
class ZFund(_Frozen):
    """Sales attributed to one fund, e.g. 义卖 (donated goods sold for charity) or 采购商品 (purchased goods)."""

    fund: str
    sales_count: int
    amount_fen: int


@dataclass(frozen=True)
class ZDiscountBy(_Frozen):
    """The discounts one person gave on a shift: on how many sales, how much in all."""

    name: str
    sales_count: int
    amount_fen: int


@dataclass(frozen=True)
class ZReportData(_Frozen):
    """Shift close (班结 / Z 报表). `manager_name` countersigns; blank leaves a line to sign on."""

    store_name: str
    store_code: str
    shift_no: str
    cashier_name: str
    opened_at: datetime
    closed_at: datetime
    float_fen: int
    sales_count: int
    tenders: tuple[ZTender, ...]
    void_count: int = 0
    void_fen: int = 0
    return_count: int = 0
    return_fen: int = 0
    funds: tuple[ZFund, ...] = ()
    manager_name: str = ""
    notes: tuple[str, ...] = ()
    reprint: bool = False
    paid_in_count: int = 0
    paid_in_fen: int = 0
    paid_out_count: int = 0
    paid_out_fen: int = 0
    no_sale_count: int = 0
    # Change given to charity at the till: in the drawer (and the expected cash), never in the sales.
    donation_count: int = 0
    donation_fen: int = 0
    # An X report: the figures so far of a shift still open (nothing counted, nobody signs).
    interim: bool = False
    # Discounts given on the shift's sales: how many sales, how much, and by whom.
    discount_count: int = 0
    discount_fen: int = 0
    discounts_by: tuple[ZDiscountBy, ...] = ()


# ---------------------------------------------------------------- labels


@dataclass(frozen=True)
class LabelData(_Frozen):
    """One price label. `symbology` "code128" (the store's own ASCII codes) or "ean13" (13 digits, valid check).

    Codes are checked here, so a bad code fails before any page is drawn.
    """

    code: str
    name: str
    price_fen: int
    store_code: str
    symbology: str = "code128"

    def __post_init__(self) -> None:
        super().__post_init__()
        validate_code(self.symbology, self.code)


@dataclass(frozen=True)
class SheetLayout(_Frozen):
    """Geometry of an A4 label sheet in whole millimetres; label size is what remains after margins and gaps.

    The default (3 × 8, 63.3 × 33.9 mm labels) fits the common 24-up sheets. `skip` leaves the first positions
    empty to reuse a partly used sheet; `outlines` draws cut lines for plain paper.
    """

    cols: int = 3
    rows: int = 8
    page_width_mm: int = 210
    page_height_mm: int = 297
    margin_top_mm: int = 13
    margin_bottom_mm: int = 13
    margin_left_mm: int = 7
    margin_right_mm: int = 7
    gap_x_mm: int = 3
    gap_y_mm: int = 0
    skip: int = 0
    outlines: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.cols < 1 or self.rows < 1 or not 0 <= self.skip < self.cols * self.rows:
            raise ValueError("sheet layout needs cols, rows >= 1 and 0 <= skip < cols * rows")


# ---------------------------------------------------------------- donation receipt


@dataclass(frozen=True)
class DonationReceiptLine(_Frozen):
    """One donated item. `value_unknown` marks an item whose value can't be determined: it is booked at zero
    (value fields must then be 0) and printed with 价值无法确定，按零计."""

    name: str
    qty: int
    unit_value_fen: int
    line_value_fen: int
    unit: str = ""
    value_unknown: bool = False
    # A weighed item's grams: unit_value_fen is then the value of one kg, printed "1.250 kg" and "¥8.00/kg".
    weight_g: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.value_unknown and (self.unit_value_fen or self.line_value_fen):
            raise ValueError("a value_unknown line must be valued at 0")


@dataclass(frozen=True)
class MoneyLine(_Frozen):
    """A money donation: method (现金, 微信支付, 银行转账 …), amount, and a payment reference if any."""

    method: str
    amount_fen: int
    reference: str = ""


@dataclass(frozen=True)
class DonationReceiptData(_Frozen):
    """捐赠收据. `total_fen` must equal the goods plus the money lines (ledger, goods and receipt agree).

    An empty `donor_name` prints 匿名. `reprint` prints a 补打 mark.
    """

    store_name: str
    store_code: str
    store_address: str
    serial_no: str
    donor_name: str
    donated_on: date
    lines: tuple[DonationReceiptLine, ...]
    total_fen: int
    receiver_name: str
    checker_name: str
    issued_at: datetime
    money_lines: tuple[MoneyLine, ...] = ()
    purpose: str = ""
    notes: tuple[str, ...] = ()
    reprint: bool = False
    # The address of the donation's trace page (捐赠去向), printed as a QR code; empty prints none.
    trace_url: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        counted = sum(x.line_value_fen for x in self.lines) + sum(m.amount_fen for m in self.money_lines)
        if counted != self.total_fen:
            raise ValueError(f"total_fen {self.total_fen} != sum of lines {counted}")


# ---------------------------------------------------------------- aid


@dataclass(frozen=True)
class AidLine(_Frozen):
    """One item handed out, with its value (for the books; the household pays nothing)."""

    name: str
    qty: int
    value_fen: int
    unit: str = ""


@dataclass(frozen=True)
class AidSlipData(_Frozen):
    """Sign-off slip for one aid hand-out. `signature_png` is the recipient's signature (PNG bytes) if captured
    on the tablet; without it a blank box is printed for a pen signature. A proxy collects on the head's behalf."""

    store_name: str
    store_code: str
    slip_no: str
    handed_out_at: datetime
    household_code: str
    head_name: str
    id_masked: str
    category: str
    lines: tuple[AidLine, ...]
    total_value_fen: int
    operator_name: str
    witness_name: str = ""
    proxy_name: str = ""
    proxy_relation: str = ""
    signature_png: bytes | None = None
    notes: tuple[str, ...] = ()
    reprint: bool = False


@dataclass(frozen=True)
class SignoffRow(_Frozen):
    """One household on a campaign sign-off sheet. `signed_on` None leaves the date to be written by hand."""

    household_code: str
    head_name: str
    id_masked: str
    category: str
    items: str
    signed_on: date | None = None


@dataclass(frozen=True)
class SignoffSheetData(_Frozen):
    """物资发放签收表 for one campaign at one store."""

    store_name: str
    store_code: str
    campaign_name: str
    pack_description: str
    serial_no: str
    printed_at: datetime
    rows: tuple[SignoffRow, ...]
    distributor_name: str = ""
    witness_name: str = ""


@dataclass(frozen=True)
class PublicListRow(_Frozen):
    """One distribution on the public list (names and IDs masked by the caller)."""

    head_name: str
    id_masked: str
    category: str
    items: str
    value_fen: int
    handed_out_on: date | None = None


@dataclass(frozen=True)
class PublicListData(_Frozen):
    """Monthly public list (公示) of distributions. `store_name`/`store_code` name the store, or the city
    federation for a city-wide list; `month` is any day of the month listed; `contact` is the 监督电话."""

    store_name: str
    store_code: str
    month: date
    serial_no: str
    published_at: datetime
    rows: tuple[PublicListRow, ...]
    contact: str = ""


# ---------------------------------------------------------------- cards


@dataclass(frozen=True)
class MemberCardData(_Frozen):
    """Resident's volunteer-points card. The member code is the card's serial number."""

    name: str
    member_code: str
    issuer_name: str
    store_name: str
    store_code: str
    issued_on: date


@dataclass(frozen=True)
class HouseholdCardData(_Frozen):
    """Aid household card. The household code is the card's serial number."""

    household_code: str
    head_name: str
    category: str
    valid_until: date
    issuer_name: str
    store_name: str
    store_code: str
    issued_on: date
