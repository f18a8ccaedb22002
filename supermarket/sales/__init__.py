"""Checkout at the counter: the till, tenders, receipts, voids and returns, shifts and the day's close.

Modules: models (tables), tenders (the tender registry), payments (settling a cart's tenders), checkout (the
sale as one transaction), reversals (voids and returns), shifts (open, close, Z report), queries (reads and the
daily summary), receipts (the seam to printing/), settings (per-store tenders and roll width).
"""
