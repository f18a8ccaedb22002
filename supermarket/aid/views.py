"""Aid pages. The routes live in the views_* modules, one per area; importing them here adds them to `bp`."""
from flask_babel import lazy_gettext as _l

from ..auth.permissions import ALL_STAFF
from ..nav import add_nav
from ..stores.service import HOME_FIGURE_PROVIDERS
from . import queries
from . import (views_campaigns, views_counter, views_distributions, views_households,  # noqa: F401
               views_oversight, views_policy, views_public)
from .blueprint import bp

__all__ = ["bp"]

add_nav("aid.home", _l("物资发放"), *ALL_STAFF)
if queries.today_figures not in HOME_FIGURE_PROVIDERS:
    HOME_FIGURE_PROVIDERS.append(queries.today_figures)
