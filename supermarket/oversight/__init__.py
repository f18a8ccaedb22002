"""The central dashboards: the city, a district, a store, for a period, against the previous period and the same
period a year earlier (a read model over the ledgers and the central check's daily facts)."""
