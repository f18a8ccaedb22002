"""Intake factories: donors, pledges and donations taken in through the real service."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from supermarket.intake import donors, pledges, service
from supermarket.intake.donors import DonorInput
from supermarket.intake.lines import LineInput, NewItemInput
from supermarket.intake.pledges import PledgeInput
from supermarket.intake.service import DonationInput, MoneyInput
from tests.factories import PASSWORD

PII_KEY = "test-pii-key"
NOW = datetime(2026, 5, 12, 3, 0, tzinfo=timezone.utc)  # 11:00 in Changsha


def cashier(session, world, code="YL01"):
    return world.actor(session, f"cashier-{code.lower()}")


def make_donor(session, world, code="YL01", *, name="张三明", phone="13812345678", kind="person", **values):
    return donors.create_donor(session, cashier(session, world, code),
                               DonorInput(kind=kind, name=name, phone=phone, **values), pii_key=PII_KEY, now=NOW)


def line(item=None, *, qty=2, value=1000, basis="market", expiry=None, new=None, barcode=None,
         weight_g=None) -> LineInput:
    return LineInput(qty=qty, unit_value_fen=value, valuation_basis=basis, item_id=item.id if item else None,
                     barcode=barcode, new_item=new, expiry_date=expiry, weight_g=weight_g)


def new_item(category, name="儿童羽绒服", *, kind="donated_used", grade="B", barcode=None, price=None, unit="件"):
    return NewItemInput(name=name, category_id=category.id, kind=kind, condition_grade=grade, barcode=barcode,
                        price_fen=price, unit=unit)


def donation_input(lines=(), *, money=(), donor=None, anonymous=None, checker="manager-yl01", secret=PASSWORD,
                   key=None, pledge=None, note="", photo=None, new_donor=None) -> DonationInput:
    return DonationInput(idempotency_key=key or uuid.uuid4(), checker_username=checker, checker_secret=secret,
                         lines=list(lines), money=list(money), donor_id=donor.id if donor else None,
                         anonymous=(donor is None and new_donor is None) if anonymous is None else anonymous,
                         new_donor=new_donor,
                         pledge_id=pledge.id if pledge else None, note=note, photo=photo)


def take_in(session, world, lines=(), *, code="YL01", actor=None, now=NOW, **kw):
    """Record a donation at store `code` by its cashier, checked by its manager; returns the result."""
    actor = actor or cashier(session, world, code)
    kw.setdefault("checker", f"manager-{code.lower()}")
    return service.record_donation(session, actor, donation_input(lines, **kw), pii_key=PII_KEY, now=now)


def cash(amount_fen=5000, method="cash", reference=""):
    return MoneyInput(method, amount_fen, reference)


def make_pledge(session, world, donor, *, code="YL01", amount_fen=100000, due=None, kind="money", now=NOW,
                description=""):
    from datetime import timedelta

    due = due or (now.date() + timedelta(days=30))
    return pledges.create_pledge(session, cashier(session, world, code),
                                 PledgeInput(donor_id=donor.id, kind=kind, amount_fen=amount_fen, due_date=due,
                                             description=description), now=now)
