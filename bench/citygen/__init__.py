"""A synthetic city of charity supermarkets on PostgreSQL, for the benchmarks (see bench/city.py).

One module per domain writes the rows its services would write; `DOMAINS` is the order they run in (each
store's setup, then each day, see world.py). A later domain (projects, livestreams, planted anomalies …) is a new
module added to `DOMAINS`.
"""
from . import aid, catalog, intake, inventory, points, sales, stores

DOMAINS = (stores, catalog, inventory, points, aid, intake, sales)
