"""The seam between aid and printing: build the documents' plain data, localised to Asia/Shanghai and with
names and ID numbers masked (printing shows what it is given; no document ever gets a full name or ID)."""
from __future__ import annotations

from datetime import date, datetime

import printing
from printing import (AidLine, AidSlipData, HouseholdCardData, PublicListData, PublicListRow, SignoffRow,
                      SignoffSheetData)
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.models import User
from ..privacy import mask_id_last4, mask_name
from ..stores.models import Store
from ..clock import SHANGHAI
from .campaigns import campaign_rows, pack_description
from .models import AidFile, Campaign, Distribution, Household
from .public import PublicRow

ISSUER = "长沙市慈善总会"


def _display_names(session: Session, *user_ids) -> dict:
    ids = [i for i in user_ids if i]
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}


def slip_pdf(session: Session, dist: Distribution, *, reprint: bool = False) -> bytes:
    """The sign-off slip of one hand-out, with the signature drawn on the tablet when there is one."""
    names = _display_names(session, dist.operator_id, dist.witness_id)
    signature = session.get(AidFile, dist.signature_id) if dist.signature_id else None
    household = dist.household
    notes = []
    if dist.override:
        notes.append(f"店长特批：{dist.override_by}（{dist.override_reason}）")
    if dist.campaign_id:
        notes.append(f"活动：{dist.campaign.name}（{dist.campaign.serial}）")
    data = AidSlipData(
        store_name=dist.store.name, store_code=dist.store.code, slip_no=dist.serial,
        handed_out_at=dist.handed_out_at.astimezone(SHANGHAI), household_code=household.code,
        head_name=mask_name(household.head_name), id_masked=mask_id_last4(household.id_last4),
        category=household.category.name,
        lines=[AidLine(line.item_name, line.qty, line.value_fen, line.unit) for line in dist.lines],
        total_value_fen=dist.value_fen, operator_name=names.get(dist.operator_id, dist.operator_name),
        witness_name=names.get(dist.witness_id, dist.witness_name),
        proxy_name=mask_name(dist.proxy_name), proxy_relation=dist.proxy_relation,
        signature_png=signature.data if signature else None, notes=notes, reprint=reprint)
    return printing.render_aid_slip(data)


def card_pdf(household: Household, *, issued_on: date) -> bytes:
    """The household's card: its code as QR and Code 128, the head's name masked (a lost card says little)."""
    store = household.store
    return printing.render_household_card(HouseholdCardData(
        household_code=household.code, head_name=mask_name(household.head_name), category=household.category.name,
        valid_until=household.review_due, issuer_name=ISSUER, store_name=store.name, store_code=store.code,
        issued_on=issued_on))


def signoff_pdf(session: Session, campaign: Campaign, *, now: datetime) -> bytes:
    """物资发放签收表 for a campaign: one row per listed household, masked, in list order."""
    rows = []
    for row in campaign_rows(session, campaign):
        h = row.household
        signed_on = None
        if row.distribution_id:
            signed_on = session.get(Distribution, row.distribution_id).handed_out_on
        # The pack is spelled out in the sheet's header; a short cell keeps each row one signature high.
        rows.append(SignoffRow(h.code, mask_name(h.head_name), mask_id_last4(h.id_last4), h.category.name,
                               "标准物资包 1 份", signed_on))
    return printing.render_signoff_sheet(SignoffSheetData(
        store_name=campaign.store.name, store_code=campaign.store.code, campaign_name=campaign.name,
        pack_description=pack_description(session, campaign), serial_no=campaign.serial,
        printed_at=now.astimezone(SHANGHAI), rows=rows))


def public_list_pdf(store: Store | None, month: date, rows: list[PublicRow], *, now: datetime,
                    contact: str = "") -> bytes:
    """The monthly public list (公示) of one store, or of the whole city."""
    code = store.code if store else "CS"
    return printing.render_public_list(PublicListData(
        store_name=store.name if store else ISSUER, store_code=code, month=month.replace(day=1),
        serial_no=f"{code}-GS-{month:%Y-%m}", published_at=now.astimezone(SHANGHAI),
        rows=[PublicListRow(r.head_masked, r.id_masked, r.category, r.items, r.value_fen, r.handed_out_on)
              for r in rows], contact=contact))
