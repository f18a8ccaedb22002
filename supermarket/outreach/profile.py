"""The store profile the construction rules read: floor area and the six zones (C-01), the seven signage items
with photos (C-02), the eight operating rules as files (C-05), the operator's legal form and agreement, and the
regular opening hours per weekday as data (C-03 compares them with the shifts)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import service as audit
from ..auth.permissions import Actor
from ..errors import InvalidInput
from ..uow import unit_of_work
from .common import managing_store, store_for
from .errors import BadOpeningHours
from .files import Upload, check_upload, new_file
from .models import LEGAL_FORMS, RULES, SIGNAGE, ZONES, OpeningHours, OutreachFile, ProfileItem, StoreProfile

CODES = {"zone": ZONES, "signage": SIGNAGE, "rule": RULES}


@dataclass
class ProfileView:
    store_id: object
    profile: StoreProfile | None
    items: dict = field(default_factory=dict)   # {(kind, code): ProfileItem}
    hours: dict = field(default_factory=dict)   # {weekday: OpeningHours}

    def present(self, kind: str, code: str) -> bool:
        item = self.items.get((kind, code))
        return bool(item and item.present)

    def file_id(self, kind: str, code: str):
        item = self.items.get((kind, code))
        return item.file_id if item else None

    @property
    def weekly_hours(self) -> float:
        return sum(_hours(h.opens_at, h.closes_at) for h in self.hours.values())


def _hours(opens: time, closes: time) -> float:
    return (closes.hour * 60 + closes.minute - opens.hour * 60 - opens.minute) / 60


def get_profile(session: Session, actor: Actor, store_id=None) -> ProfileView:
    store_id = store_for(actor, store_id)
    items = session.scalars(select(ProfileItem).where(ProfileItem.store_id == store_id))
    hours = session.scalars(select(OpeningHours).where(OpeningHours.store_id == store_id))
    return ProfileView(store_id, session.get(StoreProfile, store_id), {(i.kind, i.code): i for i in items},
                       {h.weekday: h for h in hours})


def _profile_row(session: Session, store_id, now: datetime) -> StoreProfile:
    row = session.get(StoreProfile, store_id)
    if row is None:
        row = StoreProfile(store_id=store_id, created_at=now)
        session.add(row)
    return row


def _item(session: Session, store_id, kind: str, code: str) -> ProfileItem:
    row = session.scalar(select(ProfileItem).where(ProfileItem.store_id == store_id, ProfileItem.kind == kind,
                                                   ProfileItem.code == code))
    if row is None:
        row = ProfileItem(store_id=store_id, kind=kind, code=code, present=False)
        session.add(row)
    return row


def update_basics(session: Session, actor: Actor, *, floor_area_m2: int | None, legal_form: str,
                  operator_name: str, zones: set[str], store_id=None, now: datetime) -> ProfileView:
    """Area, operator and the zones present (C-01, C-05). Raises InvalidInput, Forbidden."""
    store_id = managing_store(actor, store_id)
    if legal_form and legal_form not in LEGAL_FORMS:
        raise InvalidInput(_("运营主体类型有误"), fields={"legal_form": [_("运营主体类型有误")]})
    unknown = set(zones) - set(ZONES)
    if unknown:
        raise InvalidInput(_("功能分区有误"), fields={"zones": [_("功能分区有误")]})
    with unit_of_work(session):
        row = _profile_row(session, store_id, now)
        row.floor_area_m2, row.legal_form = floor_area_m2, legal_form
        row.operator_name, row.updated_at, row.updated_by_id = operator_name.strip(), now, actor.user_id
        for code in ZONES:
            item = _item(session, store_id, "zone", code)
            item.present, item.updated_at = code in zones, now
        audit.record(session, actor, "outreach.profile_updated", subject_type="outreach_store_profiles",
                     subject_id=str(store_id), summary={"floor_area_m2": floor_area_m2, "legal_form": legal_form,
                                                        "zones": sorted(zones)}, store_id=store_id, now=now)
    return get_profile(session, actor, store_id)


def attach_document(session: Session, actor: Actor, kind: str, code: str, upload: Upload, *, store_id=None,
                    now: datetime) -> OutreachFile:
    """A signage photo (C-02), a rule document (C-05, photo or PDF) or the operator's agreement
    (kind 'agreement'); marks the item present. Raises BadUpload, UploadTooLarge, InvalidInput."""
    store_id = managing_store(actor, store_id)
    if kind == "agreement":
        purpose, pdf_allowed = "agreement", True
    elif kind in ("signage", "rule") and code in CODES[kind]:
        purpose, pdf_allowed = ("signage_photo", False) if kind == "signage" else ("rule_document", True)
    else:
        raise InvalidInput(_("清单项目有误"), fields={"code": [_("清单项目有误")]})
    checked = check_upload(upload, pdf_allowed=pdf_allowed)
    with unit_of_work(session):
        file = new_file(session, actor, store_id, checked, purpose)
        session.flush()
        if kind == "agreement":
            row = _profile_row(session, store_id, now)
            row.agreement_file_id, row.updated_at, row.updated_by_id = file.id, now, actor.user_id
        else:
            item = _item(session, store_id, kind, code)
            item.present, item.file_id, item.updated_at = True, file.id, now
        audit.record(session, actor, "outreach.profile_document", file,
                     {"kind": kind, "code": code, "sha256": checked.sha256}, store_id=store_id, now=now)
    return file


def clear_item(session: Session, actor: Actor, kind: str, code: str, *, store_id=None, now: datetime) -> None:
    """A signage item taken down or a rule withdrawn: no longer present (its file stays, for the record)."""
    store_id = managing_store(actor, store_id)
    if kind not in ("signage", "rule") or code not in CODES[kind]:
        raise InvalidInput(_("清单项目有误"), fields={"code": [_("清单项目有误")]})
    with unit_of_work(session):
        item = _item(session, store_id, kind, code)
        item.present, item.updated_at = False, now
        audit.record(session, actor, "outreach.profile_item_cleared", subject_type="outreach_profile_items",
                     subject_id=f"{kind}:{code}", summary={"kind": kind, "code": code}, store_id=store_id, now=now)


def set_opening_hours(session: Session, actor: Actor, hours: dict, *, store_id=None, now: datetime) -> ProfileView:
    """The regular opening: {weekday 0–6: (opens, closes) or None for closed}. Replaces the week as a whole.
    Raises BadOpeningHours (closing before opening, a weekday out of range)."""
    store_id = managing_store(actor, store_id)
    bad = {}
    for day, span in hours.items():
        if not isinstance(day, int) or not 0 <= day <= 6:
            bad[f"day{day}"] = [_("星期有误")]
        elif span is not None and not span[0] < span[1]:
            bad[f"day{day}"] = [_("关门时间须晚于开门时间")]
    if bad:
        raise BadOpeningHours(fields=bad)
    with unit_of_work(session):
        existing = {h.weekday: h for h in session.scalars(select(OpeningHours)
                                                          .where(OpeningHours.store_id == store_id))}
        for day in range(7):
            span, row = hours.get(day), existing.get(day)
            if span is None and row is not None:
                session.delete(row)
            elif span is not None and row is None:
                session.add(OpeningHours(store_id=store_id, weekday=day, opens_at=span[0], closes_at=span[1]))
            elif span is not None:
                row.opens_at, row.closes_at = span
        audit.record(session, actor, "outreach.opening_hours_set", subject_type="outreach_opening_hours",
                     subject_id=str(store_id),
                     summary={str(d): f"{s[0]:%H:%M}-{s[1]:%H:%M}" for d, s in sorted(hours.items()) if s},
                     store_id=store_id, now=now)
    return get_profile(session, actor, store_id)
