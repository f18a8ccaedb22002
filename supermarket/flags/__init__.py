"""The anomaly board: detectors over every store's ledgers raise flags; auditors explain, confirm and close them."""
