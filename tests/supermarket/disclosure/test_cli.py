"""`flask disclosure close` and `flask disclosure print`."""
from supermarket.disclosure.models import Disclosure
from .factories import close_stock, october


def test_close_publishes_the_stores_that_may_close_and_print_writes_the_pdf(session, world, runner):
    october(session, world)
    close_stock(session, world)
    out = runner.invoke(args=["disclosure", "close", "--month", "2026-10"])
    assert out.exit_code == 0 and "已公示：1 家门店" in out.output and "YL02" in out.output
    assert session.query(Disclosure).one().store.code == "YL01"
    pdf = runner.invoke(args=["disclosure", "print", "--store", "YL01", "--month", "2026-10"])
    assert pdf.exit_code == 0 and pdf.stdout_bytes.startswith(b"%PDF-")
    missing = runner.invoke(args=["disclosure", "print", "--store", "YL02", "--month", "2026-10"])
    assert missing.exit_code != 0 and "尚未公示" in missing.output
    bad = runner.invoke(args=["disclosure", "close", "--month", "10/2026"])
    assert bad.exit_code != 0
