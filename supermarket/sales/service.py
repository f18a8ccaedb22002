"""Sales' public entry points: the till's checkout and lookup, shifts and their close, voids and returns,
receipts and the Z report, till settings and the sale queries.

The topic modules behind it (checkout.py, shifts.py, …) hold the rules; views, API and commands import this module.
"""
# Re-exported names: this module is the domain's surface (see README, "The shape of a domain").
# ruff: noqa: F401
from .queries import home_figures
from .checkout import checkout
from .lookup import quick_categories, till_items
from .queries import (FUND_LABELS, KIND_LABELS, STATUS_LABELS, day_summary, get_sale,
                      get_sale as get_sale_scoped, iter_sales, list_sales, reversals_of, shift_totals)
from .cash import kind_label as cash_kind_label, move_cash, movements as cash_movements, no_sale
from .cash import summary as cash_summary
from .receipts import print_receipt, x_report_pdf, z_report_pdf
from .printers import (add_printer, list_printers, print_labels_to, print_receipt_to, print_shift_report_to,
                       remove_printer)
from .reversals import can_reverse, return_items, take_back, void, void_sale
from .settings import till_config, update_till_config
from .held import parked as parked_carts
from .returns_open import of_shift as open_returns_of
from .shifts import (close_shift, current_shift, expected_takings, get_current_shift, get_shift, iter_shifts,
                     list_shifts, needs_reason, open_shift, preview_close, shifts_page)
