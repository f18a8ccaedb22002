"""Adds every domain's command group (`<domain>/cli.py: cli`), `flask demo` and `flask backup` to `flask`."""
from flask import Flask


def register_commands(app: Flask) -> None:
    from .backup_cli import cli as backup_cli
    from .demo import demo_command
    from .domains import domain_modules

    for _domain, module in domain_modules("cli"):
        app.cli.add_command(module.cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_cli)
