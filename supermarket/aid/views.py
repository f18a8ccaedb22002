"""Aid pages. The routes live in the views_* modules, one per area; importing them here adds them to `bp`."""

from . import (views_campaigns, views_counter, views_distributions, views_households,  # noqa: F401
               views_oversight, views_policy, views_public)
from .blueprint import bp

__all__ = ["bp"]

