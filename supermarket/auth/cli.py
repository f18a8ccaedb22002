"""`flask users create` for the first federation admin of a production install."""
import click
from flask.cli import AppGroup

from ..extensions import db
from . import service
from .permissions import Role, system_actor

cli = AppGroup("users", help="User accounts.")


@cli.command("create")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--store-code", default=None)
@click.option("--district-code", default=None)
@click.password_option()
def create(username, display_name, role, store_code, district_code, password):
    """Create a user (the first admin of a new install, for example)."""
    from sqlalchemy import select

    from ..stores.models import District, Store

    store_id = db.session.scalar(select(Store.id).where(Store.code == store_code)) if store_code else None
    district_id = (db.session.scalar(select(District.id).where(District.code == district_code))
                   if district_code else None)
    user = service.create_user(db.session, system_actor("cli"), username=username, display_name=display_name,
                               password=password, role=Role(role), store_id=store_id, district_id=district_id)
    click.echo(f"已创建 {user.username}（{role}）")
