"""Aid's public entry points: households and their reviews, entitlements and categories, the counter's quote
and hand-out, campaigns, oversight flags, public lists and documents, and the civil-affairs import.

The topic modules behind it (handout.py, households.py, …) hold the rules; views, API and commands import this
module.
"""
# Re-exported names: this module is the domain's surface (see README, "The shape of a domain").
# ruff: noqa: F401
from .queries import today_figures
from .campaigns import (CampaignHandout, add_households, attach_sheet_photo, campaign_rows, can_manage,
                        close_campaign, create_campaign, get_campaign, list_campaigns, pack_description,
                        record_handout, sheet_photos)
from .documents import card_pdf, public_list_pdf, signoff_pdf, slip_pdf
from .entitlements import (FIELDS, PERIOD_LABELS, create_entitlement, entitlement_status, get_entitlement,
                           list_categories, list_entitlements, save_category, update_entitlement)
from .handout import Approval, ProxyInput, distribute, quote
from .households import (EDITABLE, can_register, find_by_code, find_by_id_and_name, get_household,
                         list_households, list_record_views, open_record, register_household, review_household,
                         sees_contact, set_status, update_household)
from .images import PHOTO_MAX_BYTES
from .importer import decode, import_rows, read_rows, validate_rows
from .public import cached_public_pdf, city_summary, public_rows, public_store, store_month_totals
from .queries import get_distribution, get_file, household_history, list_distributions
