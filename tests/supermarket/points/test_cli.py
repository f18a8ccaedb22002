"""`flask points import / expire / land`."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supermarket.models import utcnow
from supermarket.points.models import PointsCredit, PointsEntry

from .factories import give_points, make_resident, make_table


@pytest.fixture
def people(session, world):
    make_table(session)
    return make_resident(session), make_resident(session)


def csv_file(tmp_path, rows, header="idempotency_key,member_code,activity,hours,points,occurred_at"):
    path = tmp_path / "credits.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def when(hours_ago=5):
    return (utcnow() - timedelta(hours=hours_ago)).isoformat()


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_a_good_file_imports_and_a_second_run_imports_nothing_new(runner, session, people, tmp_path):
    a, b = people
    path = csv_file(tmp_path, [f"k1,{a.member_code},community-service,2,,{when()}",
                               f"k2,{b.member_code},recruit,,4,{when(30)}"])
    result = runner.invoke(args=["points", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "已导入 2 条，共 6 积分" in result.output
    again = runner.invoke(args=["points", "import", str(path)])
    assert "已导入 0 条" in again.output and "此前已导入 2 条" in again.output
    assert count(session, PointsEntry) == 2


def test_one_bad_row_imports_nothing_and_names_every_bad_line(runner, session, people, tmp_path):
    a, b = people
    path = csv_file(tmp_path, [f"k1,{a.member_code},community-service,2,,{when()}",
                               f"k2,NOBODY,community-service,2,,{when()}",
                               f"k3,{b.member_code},recruit,,2.5,{when()}",
                               f"k4,{b.member_code},community-service,9,,{when()}",
                               f"k1,{b.member_code},community-service,1,,{when()}",
                               f"k6,{b.member_code},community-service,1,,{(utcnow() - timedelta(days=30)).isoformat()}"])
    result = runner.invoke(args=["points", "import", str(path)])
    assert result.exit_code != 0
    out = result.output
    assert "第 3 行：找不到该会员码对应的居民" in out
    assert "第 4 行：points" in out
    assert "第 5 行" in out and "4 小时" in out
    assert "第 6 行：与第 2 行的 idempotency_key 重复" in out
    assert "第 7 行：只能补录 7 天内的服务" in out
    assert "未导入任何记录" in out
    assert count(session, PointsEntry) == 0 and count(session, PointsCredit) == 0


def test_skip_bad_imports_the_good_rows_and_writes_a_reject_file(runner, session, people, tmp_path):
    a, b = people
    path = csv_file(tmp_path, [f"k1,{a.member_code},community-service,2,,{when()}",
                               f"k2,NOBODY,community-service,2,,{when()}",
                               f"k3,{b.member_code},recruit,,2,{when()}"])
    result = runner.invoke(args=["points", "import", str(path), "--skip-bad"])
    assert result.exit_code == 0, result.output
    assert "已导入 2 条，共 4 积分" in result.output
    rejects = (tmp_path / "credits.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[0].startswith("line,error,") and rejects[1].startswith("3,找不到该会员码对应的居民,k2,NOBODY")
    assert count(session, PointsEntry) == 2


def test_a_file_missing_columns_is_refused(runner, people, tmp_path):
    path = csv_file(tmp_path, ["x,y"], header="member_code,hours")
    result = runner.invoke(args=["points", "import", str(path)])
    assert result.exit_code != 0 and "缺少列" in result.output


def test_expire_twice_expires_once(runner, session, people):
    a, _b = people
    give_points(session, a, 10, expires_at=utcnow() - timedelta(days=1))
    give_points(session, a, 4)
    first = runner.invoke(args=["points", "expire"])
    assert first.exit_code == 0 and "共 10 分" in first.output
    second = runner.invoke(args=["points", "expire"])
    assert "共 0 分" in second.output
    session.expire_all()
    assert a.balance == 4


def test_land_lands_credits_whose_notice_is_over(runner, session, world):
    from supermarket.auth.permissions import system_actor
    from supermarket.points import credits

    make_table(session, publication_days=1)
    resident = make_resident(session)
    at = utcnow() - timedelta(days=2)
    credits.post_credit(session, system_actor("p"), credits.Claim(resident.member_code, "recruit", at, points=2),
                        idempotency_key="x", now=at + timedelta(hours=1))
    result = runner.invoke(args=["points", "land"])
    assert result.exit_code == 0 and "已入账 1 条" in result.output
    assert "已入账 0 条" in runner.invoke(args=["points", "land"]).output
