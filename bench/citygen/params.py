"""What a synthetic city is made of: its parameters, the volumes per store and day, and the store profiles.

Every rate that decides how many rows the city has lives in `VOLUMES`, so the two cities the benchmarks use
(1000 stores × 90 days, 90 stores × 365 days) and any other size scale from the same numbers. Changing a number
here (or anything else that changes the rows) must bump `GENERATOR_VERSION`, so existing cities are rebuilt.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

GENERATOR_VERSION = "1"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Volumes:
    """Mean counts per store and business day (a few stores are busier or quieter, see Profile.activity)."""

    sales_per_day: float = 40.0            # 90 stores × 365 days ≈ 1.31M sales
    lines_per_sale: tuple = (1, 2, 3, 4, 5)  # drawn uniformly: three lines on average
    second_hand_line_share: float = 0.2    # a line picks a donated second-hand item when the store has one
    points_sale_share: float = 0.02        # sales with one line paid in volunteer points
    override_share: float = 0.005          # sales with a manager-approved price override
    void_share: float = 0.003              # sales voided a few minutes later
    return_share: float = 0.002            # sales partly brought back on a later day
    person_donations_per_day: float = 1.2  # walk-in donors: second-hand and new goods, sometimes money
    money_donation_share: float = 0.15
    pledges_per_day: float = 0.06
    # Hand-outs and credits are attempts: a household whose monthly entitlement is used up goes home with
    # nothing, a volunteer's second shift on a day is refused, so about 1.7 and 4.7 of them land.
    handouts_per_day: float = 2.0          # aid hand-outs (90 × 365: 55k)
    credits_per_day: float = 5.0           # volunteer points credits (90 × 365: 154k)
    platform_credit_share: float = 0.3     # of which posted by the city volunteer platform
    damaged_write_offs_per_day: float = 0.05
    residents_per_store: int = 40
    households_per_store: int = 30
    restock_below: int = 4                 # a packaged item is restocked by a donor firm below this many units
    districts: int = 16


VOLUMES = Volumes()


@dataclass(frozen=True)
class Profile:
    """How carefully a store runs: most are diligent, a few are deliberately worse, so grades differ."""

    name: str
    closed_day_share: float      # days the store does not open
    receipt_print_share: float   # donations whose receipt (捐赠收据) is printed
    expired_write_off: float     # chance per day that expired lots are written off
    stocktake_months: int        # a stocktake every N months (at month end)
    stocktake_miss_share: float  # counted lines that differ from the book
    review_on_time: float        # households re-verified before their review date
    pledge_follow_up: float      # overdue pledges followed up
    cash_short_share: float      # shift closes with a cash variance
    override_factor: float       # multiplies override/void rates
    approval_days: int           # volunteer shifts wait up to this many days for the manager
    proxy_share: float           # hand-outs collected by a proxy
    month_close_day: int | None  # the day of the next month the manager closes the books (None: never)


PROFILES = {
    "good": Profile("good", 0.0, 0.99, 0.95, 1, 0.06, 0.98, 0.9, 0.04, 1.0, 1, 0.08, 3),
    "fair": Profile("fair", 0.02, 0.85, 0.5, 2, 0.15, 0.8, 0.5, 0.12, 2.0, 3, 0.15, 12),
    "poor": Profile("poor", 0.08, 0.5, 0.1, 4, 0.35, 0.4, 0.1, 0.3, 4.0, 14, 0.3, None),
}
PROFILE_SHARES = (("poor", 0.07), ("fair", 0.18))  # the rest are "good"


def default_end_date() -> date:
    """Yesterday in Asia/Shanghai: windows like "the last 90 days" are then full."""
    return (datetime.now(SHANGHAI) - timedelta(days=1)).date()


@dataclass(frozen=True)
class CityParams:
    stores: int
    days: int
    seed: int = 1
    end_date: date = field(default_factory=default_end_date)
    volumes: Volumes = VOLUMES

    def __post_init__(self):
        if self.stores < 1 or self.days < 1:
            raise ValueError("a city needs at least one store and one day")

    @property
    def start_date(self) -> date:
        return self.end_date - timedelta(days=self.days - 1)

    @property
    def districts(self) -> int:
        return min(self.volumes.districts, self.stores)

    def db_name(self) -> str:
        """bench_city_1000x90 (seed 1), bench_city_1000x90_s2 for another seed."""
        return f"bench_city_{self.stores}x{self.days}" + (f"_s{self.seed}" if self.seed != 1 else "")

    def identity(self) -> dict:
        """What makes two builds the same city (the end date is checked separately: see build.is_fresh)."""
        return {"stores": self.stores, "days": self.days, "seed": self.seed,
                "volumes": json.loads(json.dumps(asdict(self.volumes)))}
