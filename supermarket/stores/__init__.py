"""Districts (区县) and stores (慈善超市): the tenants everything else belongs to."""
