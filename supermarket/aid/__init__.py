"""Aid distribution (物资发放): registered households, city-wide entitlements, signed hand-outs at the counter,
campaigns with sign-off sheets, auditor flags, the monthly public list and read-access logging."""
