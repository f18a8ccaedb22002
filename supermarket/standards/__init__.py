"""The central check (中央核查): the city standard as versioned data, every store scored rule by rule from its own
ledgers through daily facts, provisional stars with their gates, snapshots that remember their standard version."""
