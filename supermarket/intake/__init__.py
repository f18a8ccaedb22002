"""Donated-goods intake: donors, pledges, two-person intake of goods and money, receipts and labels."""
