"""Aid detectors (moved here from the aid package's computed flags): one household served at two stores on one
day, many proxy pick-ups in a month, several live households at one address, manager overrides, and hand-outs
without a signature (or a photographed sheet) or a witness."""
from __future__ import annotations

import hashlib

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from ...aid.models import AidFile, Distribution, Household
from ..candidates import Candidate, group
from ..sql import in_scope, month_key

_COLS = (Distribution.id, Distribution.serial, Distribution.store_id, Distribution.household_id,
         Distribution.handed_out_on, Distribution.operator_id)


def _dist_evidence(c, r) -> None:
    c.add_evidence("distributions", r.id, r.serial, "aid.distribution", distribution_id=r.id)


def _in_window(since, now, p=None):
    return and_(Distribution.handed_out_at >= since, Distribution.handed_out_at <= now,
                in_scope(p or {}, Distribution.store_id))


def two_stores(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """The same household handed aid at more than one store on one day (raised at the household's store)."""
    pairs = (select(Distribution.household_id, Distribution.handed_out_on).where(_in_window(since, now, p))
             .group_by(Distribution.household_id, Distribution.handed_out_on)
             .having(func.count(func.distinct(Distribution.store_id)) > 1).cte("pairs"))
    rows = session.execute(
        select(*_COLS, Household.store_id.label("home_store_id"))
        .join(pairs, and_(pairs.c.household_id == Distribution.household_id,
                          pairs.c.handed_out_on == Distribution.handed_out_on))
        .join(Household, Household.id == Distribution.household_id)
        .order_by(Distribution.household_id, Distribution.handed_out_at)).all()
    out = []
    for (household_id, day), dists in group(rows, lambda r: (r.household_id, r.handed_out_on)).items():
        c = Candidate("aid.two_stores", dists[0].home_store_id, f"household:{household_id}:{day}", day, day,
                      detail={"stores": len({d.store_id for d in dists})})
        c.add_person("household", household_id)
        for d in dists:
            _dist_evidence(c, d)
        out.append(c)
    return out


def proxy(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """A household collected by a proxy ≥ min_proxies times in one calendar month."""
    month = month_key(session, Distribution.handed_out_on)
    marked = (select(*_COLS, month.label("month"),
                     func.count().over(partition_by=(Distribution.household_id, month)).label("n"))
              .where(_in_window(since, now, p), Distribution.proxy_name != "").cte("marked"))
    rows = session.execute(select(marked).where(marked.c.n >= p["min_proxies"])
                           .order_by(marked.c.household_id, marked.c.handed_out_on, marked.c.serial)).all()
    out = []
    for (household_id, month_text), dists in group(rows, lambda r: (r.household_id, r.month)).items():
        c = Candidate("aid.proxy", dists[0].store_id, f"household:{household_id}:{month_text}",
                      dists[0].handed_out_on, dists[-1].handed_out_on, detail={"count": len(dists)})
        c.add_person("household", household_id)
        for d in dists:
            _dist_evidence(c, d)
        out.append(c)
    return out


def address(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """≥ min_households live households registered at one address (the normalised address key). One more
    household at a reviewed address is new evidence, so the flag is raised again."""
    marked = (select(Household.id, Household.code, Household.store_id, Household.address_key,
                     func.count().over(partition_by=Household.address_key).label("n"))
              .where(Household.status == "active", Household.address_key != "",
                     in_scope(p, Household.store_id)).cte("marked"))
    rows = session.execute(select(marked).where(marked.c.n >= p["min_households"])
                           .order_by(marked.c.address_key, marked.c.code)).all()
    out = []
    from ...clock import local_date

    today = local_date(now)
    for key, households in group(rows, lambda r: r.address_key).items():
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        c = Candidate("aid.address", households[0].store_id, f"address:{digest}", today, today,
                      detail={"count": len(households)})
        for h in households:
            c.add_person("household", h.id)
            c.add_evidence("households", h.id, h.code, "aid.household", household_id=h.id)
        out.append(c)
    return out


def _each(kind: str, session: Session, condition, since, now) -> list[Candidate]:
    rows = session.execute(select(*_COLS, Distribution.override_by, Distribution.witness_id,
                                  Distribution.signature_id)
                           .where(_in_window(since, now), condition)
                           .order_by(Distribution.handed_out_at, Distribution.serial)).all()
    out = []
    for r in rows:
        c = Candidate(kind, r.store_id, f"distribution:{r.id}", r.handed_out_on, r.handed_out_on)
        c.add_person("household", r.household_id)
        c.add_person("user", r.operator_id)
        _dist_evidence(c, r)
        out.append(c)
    return out


def override(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """Each hand-out a manager approved over the entitlement."""
    return _each("aid.override", session, and_(Distribution.override.is_(True), in_scope(p, Distribution.store_id)),
                 since, now)


def unsigned(session: Session, p: dict, *, now, since) -> list[Candidate]:
    """Each hand-out without a witness, or without a signature where its campaign has no photographed sheet."""
    sheet = exists().where(AidFile.campaign_id == Distribution.campaign_id, AidFile.kind == "sheet_photo")
    condition = or_(Distribution.witness_id.is_(None),
                    and_(Distribution.signature_id.is_(None), or_(Distribution.campaign_id.is_(None), not_(sheet))))
    return _each("aid.unsigned", session, and_(condition, in_scope(p, Distribution.store_id)), since, now)
