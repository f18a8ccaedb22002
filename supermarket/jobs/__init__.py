"""Periodic jobs: one command (`flask jobs run`) runs every job whose time has come, and records each run."""
