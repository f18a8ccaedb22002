"""The metrics read from the outreach and projects domains (rules C-03, C-04, O-01…O-05) and the four functions
those records make active (§7.2: publicity, projects, livestream, convenience).

The domains answer `{store_id: (value, numerator, denominator)}` for the stores asked about, one set-based call
per metric (their statement count never depends on the number of stores); here each answer becomes a `Value`.
A store the domain reports with nothing to count (no shift, no opening session, no complaint due …) is left out,
so the engine grades it "无记录" — or, for an `empty_ok` metric, nothing wrong.
"""
from __future__ import annotations

from flask_babel import gettext as _

from ..outreach import metrics as outreach
from ..projects import metrics as projects


def _value(*args, **kw):
    from .metrics import Value  # metrics imports this module: the class is read when a metric runs

    return Value(*args, **kw)


def _store_ids(ctx):
    return ctx.store_ids


def opening_week(ctx) -> dict:
    """C-03: hours open per week as the till shifts show them (overlaps counted once), days per week in `also`;
    the note adds how far the declared week was kept."""
    seen = outreach.c03(ctx.session, _store_ids(ctx), ctx.t0, ctx.t1)
    declared = outreach.c03_declared(ctx.session, _store_ids(ctx), ctx.t0, ctx.t1)
    out = {}
    for store_id, (hours, days, window_days) in seen.items():
        if not days:
            continue
        per_week = days / (window_days / 7)
        note = _("每周开放 %(days)s 天、%(hours)s 小时", days=f"{per_week:.1f}", hours=f"{hours:.1f}")
        kept = declared.get(store_id)
        if kept and kept[0] is not None:
            note += "；" + _("公示开放日实际开门 %(kept)d/%(due)d 天", kept=kept[1], due=kept[2])
        out[store_id] = _value(round(hours, 2), days, window_days, note, {"days_per_week": round(per_week, 2)})
    return out


def staff_and_training(ctx) -> dict:
    """C-04: the share of opening sessions with two people or more — 0 without an active manager or a training
    in the last 365 days (outreach.metrics.c04)."""
    out = {}
    for store_id, (share, ok, sessions) in outreach.c04(ctx.session, _store_ids(ctx), ctx.t0, ctx.t1).items():
        if not sessions:
            continue
        note = "" if share or not ok else _("需有在职负责人及近一年的培训记录")
        out[store_id] = _value(share, ok, sessions, note, exceptions=(sessions - ok) if share else sessions)
    return out


def publicity_months(ctx) -> dict:
    """O-01: months of the window (calendar months it touches) with a publicity event that has a photo; the value
    is that count, so a 90-day window touching four months still reaches A with three."""
    out = {}
    for store_id, (_share, months, of) in outreach.o01(ctx.session, _store_ids(ctx), ctx.t0, ctx.t1).items():
        if months:
            out[store_id] = _value(float(months), months, of, _("%(n)d/%(of)d 个月有带照片的宣传活动", n=months, of=of),
                                   exceptions=of - months)
    return out


def project_display(ctx) -> dict:
    """O-02: the share of the store's project-months with their monthly progress update."""
    return {s: _value(v, n, d, exceptions=d - n)
            for s, (v, n, d) in projects.o02_project_display(ctx.session, _store_ids(ctx), ctx.t0, ctx.t1).items()
            if d}


def livestreams(ctx) -> dict:
    """O-03: the share of the sessions due for publication that were reconciled, closed and published within
    15 days of the close."""
    return {s: _value(v, n, d, exceptions=d - n)
            for s, (v, n, d) in projects.o03_livestream(ctx.session, _store_ids(ctx), ctx.t0, ctx.t1).items() if d}


def disclosures(ctx) -> dict:
    """F-04: of the months whose disclosure fell due in the window (by the 10th of the next month), the share
    published on time; read from the disclosure domain through wiring (it sits above the standard)."""
    from .. import wiring

    return {s: _value(v, n, d, _("%(n)d/%(d)d 个月按时公示", n=n, d=d), exceptions=d - n)
            for s, (v, n, d) in wiring.standard_disclosures(ctx.session, _store_ids(ctx), ctx.first_day,
                                                             ctx.as_of).items()}


def service_types(ctx) -> dict:
    """O-04: distinct convenience-service types logged in the window."""
    return {s: _value(v, n, None, _("%(n)d 类便民服务", n=n))
            for s, (v, n, _d) in outreach.o04(ctx.session, _store_ids(ctx), ctx.t0, ctx.t1).items() if n}


def complaints(ctx) -> dict:
    """O-05: of the complaints due in the window, the share answered within 15 days (none due: left out)."""
    return {s: _value(v, n, d, exceptions=d - n)
            for s, (v, n, d) in outreach.o05(ctx.session, _store_ids(ctx), ctx.t0, ctx.t1).items()
            if v is not None and d}


def active_functions(session, store_ids, start, end) -> dict[str, set]:
    """§7.2 for the four functions these records make active: {function: store ids active in [start, end)} —
    four statements whatever the number of stores."""
    return {
        "publicity": outreach.ACTIVE["publicity"](session, store_ids, start, end),
        "convenience": outreach.ACTIVE["convenience"](session, store_ids, start, end),
        "projects": projects.active_projects(session, start, end),
        "livestream": projects.active_livestream(session, start, end),
    }
