"""Publicity events (慈善宣传, O-01): date, type, place, people reached, photos."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..audit import service as audit
from ..auth.permissions import Actor, scope
from ..clock import local_today
from ..errors import InvalidInput
from ..uow import unit_of_work
from .common import store_for, writable_store
from .files import Upload, check_upload, new_file
from .models import EVENT_KINDS, PublicityEvent

MAX_PHOTOS = 9


@dataclass(frozen=True)
class EventInput:
    held_on: date
    kind: str
    title: str
    place: str = ""
    people_reached: int = 0
    note: str = ""
    store_id: object = None
    photos: tuple[Upload, ...] = ()


def record_event(session: Session, actor: Actor, data: EventInput, *, now: datetime) -> PublicityEvent:
    """Record a publicity event with its photos in one transaction. Raises InvalidInput (a future date, an
    unknown type), BadUpload/UploadTooLarge (a photo that is not one), Forbidden, NotFound."""
    store_id = writable_store(actor, data.store_id)
    if data.kind not in EVENT_KINDS:
        raise InvalidInput(_("宣传类型有误"), fields={"kind": [_("宣传类型有误")]})
    if data.held_on > local_today(now):
        raise InvalidInput(_("活动日期不能晚于今天"), fields={"held_on": [_("活动日期不能晚于今天")]})
    if len(data.photos) > MAX_PHOTOS:
        raise InvalidInput(_("最多上传 %(n)d 张照片", n=MAX_PHOTOS), fields={"photos": [_("照片太多")]})
    checked = [check_upload(p, pdf_allowed=False, field="photos") for p in data.photos]  # all before writing
    with unit_of_work(session):
        event = PublicityEvent(store_id=store_id, held_on=data.held_on, kind=data.kind, title=data.title.strip(),
                               place=data.place.strip(), people_reached=data.people_reached,
                               note=data.note.strip(), created_by_id=actor.user_id, created_at=now)
        session.add(event)
        session.flush()
        for c in checked:
            new_file(session, actor, store_id, c, "event_photo", event_id=event.id)
        audit.record(session, actor, "outreach.event_recorded", event,
                     {"held_on": data.held_on.isoformat(), "kind": data.kind, "title": event.title,
                      "people_reached": data.people_reached, "photos": [c.sha256 for c in checked]},
                     store_id=store_id, now=now)
    return event


def list_events(session: Session, actor: Actor, *, store_id=None, limit: int = 200) -> list[PublicityEvent]:
    """The events the actor may see (one store when named), newest first."""
    stmt = scope(select(PublicityEvent), actor, PublicityEvent).options(selectinload(PublicityEvent.photos))
    if store_id is not None:
        stmt = stmt.where(PublicityEvent.store_id == store_for(actor, store_id))
    stmt = stmt.order_by(PublicityEvent.held_on.desc(), PublicityEvent.created_at.desc()).limit(limit)
    return list(session.scalars(stmt))
