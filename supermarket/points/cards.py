"""The seam to printing/ for the member card: plain, masked data in, PDF bytes out."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from printing import render_member_card
from printing.data import MemberCardData

from ..auth.permissions import Actor
from ..privacy import mask_name
from ..stores.models import Store
from .models import Resident
from ..clock import local_date

ISSUER = "长沙市慈善总会"


def member_card_data(resident: Resident, store: Store | None, *, now: datetime) -> MemberCardData:
    """The card names the store that prints it (the federation when printed centrally); the name is masked
    because a lost card should not tell a finder more than it must."""
    return MemberCardData(name=mask_name(resident.name), member_code=resident.member_code, issuer_name=ISSUER,
                          store_name=store.name if store else _("市慈善总会"), store_code=store.code if store else "—",
                          issued_on=local_date(now))


def member_card_pdf(session: Session, actor: Actor, resident: Resident, *, now: datetime) -> bytes:
    store_id = actor.store_id or resident.registered_store_id
    store = session.get(Store, store_id) if store_id and actor.can_see_store(store_id) else None
    return render_member_card(member_card_data(resident, store, now=now))
