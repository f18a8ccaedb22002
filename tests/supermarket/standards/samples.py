"""URL samples for the role matrix (tests/route_matrix.py): the central check's store codes and rule ids."""
SAMPLES = {
    "store_code": lambda session, world, store: store.code,
    "rule_id": lambda session, world, store: "F-02",
}
# A rule id names a rule of the city's standard, not a store's object.
CITY_WIDE = {"rule_id"}
