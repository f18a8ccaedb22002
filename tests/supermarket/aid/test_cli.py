"""`flask aid import FILE.csv`: all rows checked first; nothing imported with a bad row unless --skip-bad."""
import pytest

from supermarket.aid.entitlements import ensure_default_categories
from supermarket.aid.models import Household

from .factories import make_household, valid_id

HEADER = "门店,户主姓名,身份证号,联系电话,社区,住址,家庭人口,类别,证明材料,核实人,核实日期\n"


def write(tmp_path, rows, encoding="utf-8-sig"):
    path = tmp_path / "list.csv"
    path.write_bytes((HEADER + "".join(r + "\n" for r in rows)).encode(encoding))
    return str(path)


@pytest.fixture
def ids(session, world):
    ensure_default_categories(session)
    return [valid_id(100 + i) for i in range(4)]


def row(store, name, number, category="低保", members="2", on="2026-10-01"):
    return f"{store},{name},{number},13800000000,望月湖社区,望月湖 1 号,{members},{category},长民低字1号,民政专干,{on}"


def test_a_good_file_is_imported(runner, session, ids, tmp_path):
    path = write(tmp_path, [row("YL01", "甲", ids[0]), row("FR01", "乙", ids[1], "temporary"),
                            row("YL02", "丙", ids[2].lower(), "特困", on="2026/10/02")])
    result = runner.invoke(args=["aid", "import", path])
    assert result.exit_code == 0, result.output
    assert "已导入 3 户" in result.output
    assert sorted(h.head_name for h in session.query(Household)) == ["丙", "乙", "甲"]
    assert all(n not in result.output for n in ids)


def test_a_bad_row_stops_everything_and_the_errors_name_lines_not_numbers(runner, session, ids, tmp_path, world):
    make_household(session, world.stores["FR01"], id_number=ids[3])
    wrong = ids[0][:-1] + ("0" if ids[0][-1] != "0" else "1")
    path = write(tmp_path, [row("YL01", "甲", ids[1]), row("YL01", "乙", wrong), row("XX99", "", ids[2], "无此类"),
                            row("YL01", "丁", ids[1]), row("YL01", "戊", ids[3], members="0", on="昨天")])
    result = runner.invoke(args=["aid", "import", path])
    assert result.exit_code != 0
    out = result.output
    for expected in ("第 3 行：身份证号码格式或校验位不正确", "第 4 行：门店代码不存在", "第 4 行：户主姓名为空",
                     "第 4 行：救助类别“无此类”不存在", "第 5 行：身份证号与第 2 行重复", "第 6 行：该身份证号已在门店 FR01",
                     "第 6 行：家庭人口须为 1–30", "第 6 行：日期格式", "未导入任何数据"):
        assert expected in out, expected
    assert all(n not in out for n in ids + [wrong])
    assert session.query(Household).count() == 1

    skipped = runner.invoke(args=["aid", "import", path, "--skip-bad"])
    assert skipped.exit_code == 0 and "已导入 1 户，跳过 4 行" in skipped.output
    assert session.query(Household).count() == 2


def test_store_option_and_gb18030(runner, session, ids, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(("户主姓名,身份证号,类别\n" + f"王五,{ids[0]},低保\n").encode("gb18030"))
    result = runner.invoke(args=["aid", "import", str(path), "--store", "YL02"])
    assert result.exit_code == 0, result.output
    assert session.query(Household).one().store.code == "YL02"
    empty = tmp_path / "empty.csv"
    empty.write_text("户主姓名,身份证号\n", encoding="utf-8")
    assert runner.invoke(args=["aid", "import", str(empty)]).exit_code == 0
