"""The day's alerts on an auditor's or the federation's dashboard: stores not opened today, shifts left open
overnight, large cash differences since yesterday, food expiring within three days. One statement each over the
scope; each row names the page that lists it. The expiring food is found from the lots by their expiry date
(ix_lots_expiry_date: a few thousand lots of the 1,000-store city's million) and only then their balances; read
the other way round, every lot balance with stock of the city is joined (290 ms -> 43 ms). An open shift always
holds its cashier's open key (the shifts' check constraint `open_key_matches`), so the open shifts are found
through that key's unique index instead of a scan of every shift (15 ms -> under 1 ms)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..clock import SHANGHAI, local_midnight_utc
from ..settings import setting
from .queries import Filter, _uid, run

LIMIT = 50


@dataclass
class Alerts:
    not_opened: list = field(default_factory=list)      # (store_id, code, name)
    overnight: list = field(default_factory=list)       # (shift_id, store code, store name, number, opened_at)
    cash: list = field(default_factory=list)            # (shift_id, store code, store name, number, diff_fen)
    expiring: list = field(default_factory=list)        # (store_id, code, name, lots, qty)
    counts: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _local(at) -> str:
    if isinstance(at, str):  # SQLite hands raw text back from a text() statement
        from datetime import datetime, timezone
        at = datetime.fromisoformat(at).replace(tzinfo=timezone.utc)
    if at.tzinfo is None:
        from datetime import timezone
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")


def threshold_fen() -> int:
    return int(setting("OVERSIGHT_CASH_DIFF_FEN", 5000))


def alerts(session, scope: Filter, today: date) -> Alerts:
    midnight = local_midnight_utc(today)
    p = {"t0": midnight, "mt0": local_midnight_utc(today - timedelta(days=1)), "today": today,
         "soon7": today + timedelta(days=3)}
    out = Alerts()
    f = scope.sql
    out.not_opened = [(_uid(a), b, c) for a, b, c in run(session, f"""SELECT st.id, st.code, st.name FROM stores st
        WHERE st.status = 'open' AND {f('st.id')}
          AND NOT EXISTS (SELECT 1 FROM shifts s WHERE s.store_id = st.id AND s.opened_at >= :t0)
        ORDER BY st.code""", p, scope)]
    out.overnight = [(_uid(a), b, c, d, _local(e)) for a, b, c, d, e in run(session, f"""SELECT s.id, st.code, st.name,
               s.number, s.opened_at
        FROM shifts s JOIN stores st ON st.id = s.store_id
        WHERE s.status = 'open' AND s.open_cashier_id IS NOT NULL AND s.opened_at < :t0 AND {f('s.store_id')}
        ORDER BY s.opened_at""", p, scope)]
    out.cash = [(_uid(a), b, c, d, int(e)) for a, b, c, d, e in run(session, f"""SELECT s.id, st.code, st.name,
               s.number, c.diff
        FROM shifts s JOIN stores st ON st.id = s.store_id
             JOIN (SELECT sc.shift_id, SUM(sc.counted_fen - sc.expected_fen) AS diff FROM shift_counts sc
                   JOIN shifts x ON x.id = sc.shift_id
                   WHERE sc.method = 'cash' AND x.closed_at >= :mt0 GROUP BY sc.shift_id) c ON c.shift_id = s.id
        WHERE s.status = 'closed' AND s.closed_at >= :mt0 AND ABS(c.diff) >= {threshold_fen():d}
          AND {f('s.store_id')} ORDER BY ABS(c.diff) DESC""", p, scope)]
    out.expiring = [(_uid(a), b, c, int(d), int(e)) for a, b, c, d, e in run(session, f"""SELECT st.id, st.code,
               st.name, COUNT(*), SUM(b.qty)
        FROM lots t JOIN lot_balances b ON b.lot_id = t.id JOIN items i ON i.id = t.item_id
             JOIN stores st ON st.id = t.store_id
        WHERE b.qty > 0 AND i.is_food = TRUE AND t.expiry_date >= :today AND t.expiry_date <= :soon7
          AND {f('t.store_id')}
        GROUP BY st.id, st.code, st.name ORDER BY SUM(b.qty) DESC""", p, scope)]
    out.counts = {"not_opened": len(out.not_opened), "overnight": len(out.overnight), "cash": len(out.cash),
                  "expiring": len(out.expiring)}
    out.not_opened, out.overnight = out.not_opened[:LIMIT], out.overnight[:LIMIT]
    out.cash, out.expiring = out.cash[:LIMIT], out.expiring[:LIMIT]
    return out
