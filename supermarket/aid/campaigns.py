"""Campaigns (e.g. 春节送温暖): a store hands a standard pack to a list of households.

The sign-off sheet (物资发放签收表) is printed with masked names for paper signatures; each hand-out is recorded
as it happens (one distribution, its stock movements, once per household: a guarded UPDATE of the list row);
the signed sheet is photographed and attached afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from .. import audit
from ..auth.permissions import Actor, Role, get_scoped, is_store_staff, require, scope
from ..auth.service import verify_approver
from ..errors import InvalidInput
from ..i18n import yuan
from ..sequences import next_number
from ..stores.models import Store
from ..uow import unit_of_work
from .entitlements import entitlement_status
from .errors import AlreadyReceived, CampaignClosed, UnknownHousehold
from .handout import Approval, LineInput, ProxyInput, assess, price_lines, write_distribution
from ..clock import local_today
from .households import can_register
from .images import check_photo, check_signature, store_image
from .models import AidFile, Campaign, CampaignHousehold, CampaignPackLine, Distribution, Household


def can_manage(actor: Actor, campaign_store_id) -> bool:
    return can_register(actor, campaign_store_id)


def list_campaigns(session: Session, actor: Actor) -> list[Campaign]:
    stmt = scope(select(Campaign), actor, Campaign).options(joinedload(Campaign.store))
    return list(session.scalars(stmt.order_by(Campaign.starts_on.desc(), Campaign.serial)))


def get_campaign(session: Session, actor: Actor, campaign_id) -> Campaign:
    return get_scoped(session, actor, Campaign, campaign_id)


def create_campaign(session: Session, actor: Actor, *, name: str, starts_on: date, ends_on: date,
                    pack: list[LineInput], counts_toward_entitlement: bool = False, store_id=None) -> Campaign:
    """A campaign of the manager's store with its standard pack (items by barcode or id, and quantities)."""
    store_id = store_id or actor.store_id
    require(store_id is not None and can_manage(actor, store_id), _("只有店长可以创建发放活动"))
    if ends_on < starts_on:
        raise InvalidInput(_("结束日期不能早于开始日期"), fields={"ends_on": [_("结束日期不能早于开始日期")]})
    priced = price_lines(session, store_id, pack)
    store = session.get(Store, store_id)
    with unit_of_work(session):
        serial = f"{store.code}-Q-{starts_on.year}-{next_number(session, f'campaign:{store_id}:{starts_on.year}'):04d}"
        campaign = Campaign(store_id=store_id, serial=serial, name=name.strip(), starts_on=starts_on,
                            ends_on=ends_on, counts_toward_entitlement=counts_toward_entitlement,
                            created_by=actor.username)
        campaign.pack = [CampaignPackLine(item_id=pl.item.id, qty=pl.qty, position=i) for i, pl in enumerate(priced)]
        session.add(campaign)
        session.flush()
        audit.record(session, actor, "aid.campaign_created", campaign,
                     {"serial": serial, "name": name, "pack": {pl.item.name: pl.qty for pl in priced}},
                     store_id=store_id)
    return campaign


def pack_lines(session: Session, campaign: Campaign):
    return price_lines(session, campaign.store_id, [LineInput(qty=p.qty, item_id=p.item_id) for p in campaign.pack])


def pack_description(session: Session, campaign: Campaign) -> str:
    lines = pack_lines(session, campaign)
    text = "、".join(f"{pl.item.name} ×{pl.qty}" for pl in lines)
    return _("%(items)s（价值 %(value)s）", items=text, value=yuan(sum(pl.value_fen for pl in lines)))


def add_households(session: Session, actor: Actor, campaign_id, *, codes: list[str] = (),
                   category_code: str | None = None) -> int:
    """Put households on the list by card code (any store), or every active household of a category registered
    at the campaign's store. Already listed ones are skipped. Returns how many were added."""
    campaign = get_campaign(session, actor, campaign_id)
    require(can_manage(actor, campaign.store_id), _("只有店长可以编辑发放名单"))
    wanted = [c.strip().upper() for c in codes if c.strip()]
    found = list(session.scalars(select(Household).where(Household.code.in_(wanted)))) if wanted else []
    missing = sorted(set(wanted) - {h.code for h in found})
    if missing:
        raise UnknownHousehold(_("未找到户编号：%(codes)s", codes="、".join(missing[:10])))
    if category_code:
        found += list(session.scalars(select(Household).where(
            Household.store_id == campaign.store_id, Household.category_code == category_code,
            Household.status == "active").order_by(Household.code)))
    listed = set(session.scalars(select(CampaignHousehold.household_id)
                                 .where(CampaignHousehold.campaign_id == campaign.id)))
    position = len(listed)
    added = 0
    with unit_of_work(session):
        for household in found:
            if household.id in listed:
                continue
            listed.add(household.id)
            session.add(CampaignHousehold(campaign_id=campaign.id, household_id=household.id, position=position))
            position += 1
            added += 1
        audit.record(session, actor, "aid.campaign_households_added", campaign, {"added": added},
                     store_id=campaign.store_id)
    return added


def campaign_rows(session: Session, campaign: Campaign) -> list[CampaignHousehold]:
    return list(session.scalars(select(CampaignHousehold).options(
        joinedload(CampaignHousehold.household).joinedload(Household.category))
        .where(CampaignHousehold.campaign_id == campaign.id).order_by(CampaignHousehold.position)))


@dataclass(frozen=True)
class CampaignHandout:
    household_id: object
    witness: Approval | None = None
    signature_png: bytes | None = None
    proxy: ProxyInput | None = None


def record_handout(session: Session, actor: Actor, campaign_id, data: CampaignHandout, *,
                   now: datetime) -> Distribution:
    """Record one household receiving the pack, as it happens. The signature is on the paper sheet unless one is
    drawn on the tablet; a witness is optional here (the sheet has a witness line) and its absence is flagged.
    Raises CampaignClosed, AlreadyReceived, NotEligible, HouseholdExpired, QuotaExceeded, InsufficientStock."""
    campaign = get_campaign(session, actor, campaign_id)
    require(is_store_staff(actor, campaign.store_id), _("只有本店工作人员可以登记发放"))
    today = local_today(now)
    if campaign.status != "open" or not campaign.starts_on <= today <= campaign.ends_on:
        raise CampaignClosed(_("该活动不在发放期内（%(a)s 至 %(b)s）或已结束", a=campaign.starts_on.isoformat(),
                               b=campaign.ends_on.isoformat()))
    row = session.get(CampaignHousehold, (campaign.id, data.household_id))
    if row is None:
        raise UnknownHousehold(_("该家庭不在本次活动名单上"))
    if row.distribution_id is not None:
        raise AlreadyReceived(_("该家庭已领取本次活动物资"))
    household = row.household
    signature = check_signature(data.signature_png) if data.signature_png is not None else None
    witness = None
    if data.witness is not None and data.witness.username:
        witness = verify_approver(session, campaign.store_id, data.witness.username, data.witness.secret,
                                  roles=(Role.CASHIER, Role.STORE_MANAGER), not_user_id=actor.user_id)
    lines = pack_lines(session, campaign)
    status = entitlement_status(session, household, today)
    blocking, soft = assess(household, status, lines, today, check_caps=False)
    # Outside the entitlement only the validity matters here; the pack itself is the campaign's decision.
    problems = blocking + tuple(e for e in soft if e.code == "aid.household_expired")
    if problems:
        raise problems[0]
    with unit_of_work(session):
        # Claim the list row first (this UPDATE takes its lock; a second tablet waits, then finds it taken).
        claimed = session.execute(update(CampaignHousehold).where(
            CampaignHousehold.campaign_id == campaign.id, CampaignHousehold.household_id == household.id,
            CampaignHousehold.distribution_id.is_(None)).values(distribution_id=None))
        if claimed.rowcount != 1:
            raise AlreadyReceived(_("该家庭已领取本次活动物资"))
        dist = write_distribution(session, actor, store_id=campaign.store_id, household=household, lines=lines,
                                  status=status, now=now, counts=campaign.counts_toward_entitlement,
                                  witness=witness, signature=signature, proxy=data.proxy, campaign_id=campaign.id)
        session.execute(update(CampaignHousehold).where(
            CampaignHousehold.campaign_id == campaign.id, CampaignHousehold.household_id == household.id)
            .values(distribution_id=dist.id))
    return dist


def attach_sheet_photo(session: Session, actor: Actor, campaign_id, data: bytes) -> AidFile:
    """Attach a photograph of the signed paper sheet (JPEG or PNG)."""
    campaign = get_campaign(session, actor, campaign_id)
    require(is_store_staff(actor, campaign.store_id), _("只有本店工作人员可以上传签收表"))
    image = check_photo(data)
    with unit_of_work(session):
        row = store_image(session, actor, store_id=campaign.store_id, kind="sheet_photo", image=image,
                          campaign_id=campaign.id)
        audit.record(session, actor, "aid.sheet_photo_attached", campaign, {"file": row.id, "bytes": row.size_bytes},
                     store_id=campaign.store_id)
    return row


def sheet_photos(session: Session, campaign: Campaign) -> list[AidFile]:
    return list(session.scalars(select(AidFile).where(AidFile.campaign_id == campaign.id, AidFile.kind ==
                                                      "sheet_photo").order_by(AidFile.created_at)))


def close_campaign(session: Session, actor: Actor, campaign_id) -> Campaign:
    campaign = get_campaign(session, actor, campaign_id)
    require(can_manage(actor, campaign.store_id), _("只有店长可以结束活动"))
    with unit_of_work(session):
        campaign.status = "closed"
        audit.record(session, actor, "aid.campaign_closed", campaign, {"serial": campaign.serial},
                     store_id=campaign.store_id)
    return campaign

