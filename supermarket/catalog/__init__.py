"""The city-wide catalog: categories, items, barcodes, store prices."""
