"""Outreach: publicity events, convenience services, complaints, training, and the store profile the
construction rules (C-01…C-05) read."""
