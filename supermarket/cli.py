"""Adds every domain's command group to `flask`."""
from flask import Flask


def register_commands(app: Flask) -> None:
    from .audit.cli import audit_cli
    from .auth.cli import users_cli
    from .demo import demo_command

    for command in (audit_cli, users_cli, demo_command):
        app.cli.add_command(command)
