"""Inventory's public entry points: the stock ledger's moves (receive, take, reverse) that intake, sales and aid
call inside their own transactions, the closed-period check, stock and lot queries, and the store's documents
(stocktakes, transfers, write-offs, corrections, closed periods, settings).

The topic modules behind it (ledger.py, stocktakes.py, …) hold the rules; other domains and this domain's views,
API and commands import this module, never the topic modules.
"""
# Re-exported names: this module is the domain's surface (see README, "The shape of a domain").
# ruff: noqa: F401
from .closed_periods import check_period_open, closed_through, closed_through_of, remember_closed_through
from .ledger import (MAX_QTY, check_qty, lock_item_balance, lock_order, lock_stock, on_hand, receive, reverse,
                     reversed_qty, sellable_qty, take, take_many)
from .queries import home_figures, in_store, items_in_stock, movements_of
from .common import store_for
from .corrections import CORRECTABLE_KINDS, correct_movement
from .periods import close_month, list_closes
from .queries import (item_history, item_lots, iter_item_history, near_expiry_lots, near_expiry_page, scan_lookup,
                      search_in_store, stock_on_hand)
from .settings import settings_of, update_settings
from .stocktake_review import approve_stocktake, review_stocktake
from .stocktakes import (cancel_stocktake, counted_lines, get_stocktake, list_stocktakes, open_stocktake,
                         record_count, set_count, set_line_expiry, start_stocktake)
from .transfers import destinations, get_transfer, list_transfers, receive_transfer, ship_transfer
from .verify import movement_rows_off_the_chain, verify_balances
from .writeoffs import get_photo, get_write_off, has_photo, list_write_offs, write_off
