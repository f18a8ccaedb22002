"""The stores domain's errors."""
from __future__ import annotations

from ..errors import Conflict


class DuplicateCode(Conflict):
    code = "stores.duplicate_code"
