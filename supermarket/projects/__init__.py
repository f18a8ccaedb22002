"""Charity projects and livestream / charity-sale sessions: where every yuan raised for a project comes from and
where it went."""
