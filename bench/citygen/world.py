"""The simulation's skeleton: the city, one store's context, its agenda, and the loop over stores and days.

Each domain is a module with any of these functions (see DOMAINS in `__init__`):

- `setup_city(city)`: city-wide rows (districts, the catalog, the points table …), before any store;
- `setup_store(city, st, agenda)`: a store's prologue (its users, households, opening stock …);
- `plan_day(city, st, day, agenda)`: what happens in the store that day, as timed events;
- `finish_store(city, st)`: rows that changed while the store ran (balances, statuses) go out.

A store is simulated from its prologue to its last day before the next one starts: its rows change only
inside its own simulation, so they can be written when it is done, and everything it does goes into its own
audit chain in time order. Events are functions of their time; an event may add later events to the agenda
(a void a few minutes after its sale) or schedule one on a later day with `st.schedule`.
"""
from __future__ import annotations

import heapq
import random
import time
from datetime import date, timedelta

from .base import Counters, Ids, local
from .chain import Chain, GlobalChain
from .params import PROFILE_SHARES, PROFILES, CityParams
from .sink import Progress, Sink, Table

SEQUENCES = Table("sequences", ("key", "last_value"))
PROLOGUE_DAYS = 400  # the federation set the city up this long before the first simulated day


class Agenda:
    """A day's events in time order (a heap, so events may add later ones while it runs)."""

    def __init__(self):
        self._heap: list = []
        self._n = 0

    def add(self, at, fn, *args) -> None:
        self._n += 1
        heapq.heappush(self._heap, (at, self._n, fn, args))

    def run(self) -> None:
        heap = self._heap
        while heap:
            at, _n, fn, args = heapq.heappop(heap)
            fn(at, *args)


class City:
    def __init__(self, params: CityParams, sink: Sink, progress: Progress, config: dict):
        self.params, self.vol, self.sink, self.progress = params, params.volumes, sink, progress
        self.config = config  # the app's settings the rows depend on (PII key, password hashes)
        self.ids = Ids(f"{params.seed}:city:ids")
        self.rng = random.Random(f"{params.seed}:city")
        self.chain = GlobalChain(sink, self.ids)
        self.setup_day = params.start_date - timedelta(days=PROLOGUE_DAYS)
        self.days = [params.start_date + timedelta(days=n) for n in range(params.days)]
        self.stores: list = []      # stores.StoreInfo, filled by the stores domain
        self.extra: dict = {}       # what one domain leaves for the others, by name
        self.stats: dict[str, int] = {}

    def count(self, name: str, n: int = 1) -> None:
        self.stats[name] = self.stats.get(name, 0) + n


class StoreCtx:
    """One store while it is simulated. Domains keep their own state on it as attributes (st.stock, st.sales…)."""

    def __init__(self, city: City, info):
        self.city, self.info = city, info
        self.id, self.code = info.id, info.code
        seed = city.params.seed
        self.rng = random.Random(f"{seed}:{info.code}")
        self.ids = Ids(f"{seed}:{info.code}:ids")
        self.chain = Chain(city.sink, self.ids, info.id)
        self.counters = Counters()
        self.profile = PROFILES[info.profile]
        self.activity = info.activity
        self.is_open = True
        self.today: date | None = None
        self.agenda: Agenda | None = None  # the agenda running now (the prologue's, then each day's)
        self._later: dict[date, list] = {}
        self._carried: list = []

    def schedule(self, day: date, seconds: float, fn, *args) -> None:
        """Run `fn(at, *args)` at `seconds` after local midnight of `day` (or, when the store is closed that
        day, on the next day it opens)."""
        if self.today is not None and day <= self.today:
            if day < self.today:
                raise ValueError(f"{self.code}: cannot schedule on {day}, it is {self.today} already")
            self.agenda.add(local(day, seconds), fn, *args)  # today's list was taken already
            return
        self._later.setdefault(day, []).append((seconds, fn, args))

    def take_scheduled(self, day: date, agenda: Agenda) -> None:
        todo = self._carried + self._later.pop(day, [])
        if not self.is_open:
            self._carried = todo
            return
        self._carried = []
        for seconds, fn, args in todo:
            agenda.add(local(day, seconds), fn, *args)


def assign_profiles(n: int, rng: random.Random) -> list[str]:
    """Exact shares of poor and fair stores (at least one of each from three stores up), shuffled."""
    names = []
    for name, share in PROFILE_SHARES:
        names += [name] * (max(1, round(share * n)) if n >= 3 else 0)
    names += ["good"] * (n - len(names))
    rng.shuffle(names)
    return names


class _Discard:
    """Where a partition's copy of the city-wide setup goes: every partition needs it in memory, only the
    first one writes it."""

    def row(self, table, values) -> None:
        pass

    def line(self, table, line) -> None:
        pass


def simulate(city: City, domains, *, part: int = 0, parts: int = 1) -> None:
    """Set the city up, then simulate the stores of this partition (every `parts`-th store from `part`).
    Stores are independent, so partitions can run in separate processes; the city-wide audit events stay
    held in `city.chain` for the caller to chain once all partitions are done."""
    sink = city.sink
    if part:
        city.sink = _Discard()
    for d in domains:
        if hasattr(d, "setup_city"):
            d.setup_city(city)
    if part:
        city.sink, city.chain.held, city.stats = sink, [], {}
    mine = city.stores[part::parts]
    started, last = time.monotonic(), 0.0
    for n, info in enumerate(mine, 1):
        st = StoreCtx(city, info)
        agenda = st.agenda = Agenda()
        for d in domains:
            if hasattr(d, "setup_store"):
                d.setup_store(city, st, agenda)
        agenda.run()
        for day in city.days:
            st.today = day
            st.is_open = st.rng.random() >= st.profile.closed_day_share
            agenda = st.agenda = Agenda()
            st.take_scheduled(day, agenda)
            for d in domains:
                if hasattr(d, "plan_day"):
                    d.plan_day(city, st, day, agenda)
            agenda.run()
        for d in domains:
            if hasattr(d, "finish_store"):
                d.finish_store(city, st)
        st.chain.close()
        for key, value in st.counters.values.items():
            sink.row(SEQUENCES, (key, value))
        now = time.monotonic()
        if now - last > 15 or n == len(mine):
            rows = sink.rows + sink.pending_rows()
            rate = rows / max(now - started, 1e-9)
            label = f"part {part + 1}/{parts}: " if parts > 1 else ""
            city.progress.say(f"simulate: {label}{n}/{len(mine)} stores, {rows:,} rows, {rate:,.0f} rows/s")
            last = now
