"""`flask audit verify` and `flask demo` on the demo database."""
from sqlalchemy import text

from tests.factories import sql_id

from supermarket.audit.models import AuditEvent


def test_demo_then_verify_then_tamper(runner, session):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "审计链完整" in ok.output
    victim = session.query(AuditEvent).filter_by(action="auth.user_created").first()
    session.execute(text("UPDATE audit_events SET actor_name = 'mallory' WHERE id = :id"),
                    {"id": sql_id(victim.id)})
    session.commit()
    # an old event (before the checkpoint the first run recorded) is the full run's to find
    broken = runner.invoke(args=["audit", "verify", "--full"])
    assert broken.exit_code == 1
    assert "审计链断裂" in broken.output and str(victim.id) in broken.output


def test_demo_refuses_a_database_with_data_unless_reset(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0 and "--reset" in again.output
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    assert runner.invoke(args=["demo", "--reset"]).exit_code == 0


def test_demo_refuses_production(app, runner):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0 and "生产环境" in result.output
