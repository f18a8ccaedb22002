"""Where did my donation go: the receipt's QR code (decoded from the rendered PDF by zbarimg, an independent
decoder) opens a page that shows exactly what happened to each line, and no buyer, household or person."""
import shutil
import subprocess
from datetime import datetime, timezone
from urllib.parse import urlparse

import pytest

from supermarket.disclosure import trace as tr
from supermarket.intake import documents
from supermarket.inventory import writeoffs
from tests.supermarket.aid.factories import hand_out, make_household, policy
from tests.supermarket.catalog.factories import make_category
from tests.supermarket.intake.factories import line, make_donor, new_item, take_in
from tests.supermarket.sales.factories import open_shift, sell

NOW = datetime(2026, 10, 14, 3, 0, tzinfo=timezone.utc)
needs_tools = pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                                 reason="needs poppler-utils and zbar-tools")


def three_fates(session, world):
    from datetime import date
    cat = make_category(session, "CLO", "衣物")
    donor = make_donor(session, world, name="张三明", phone="13812345678")
    result = take_in(session, world, [line(new=new_item(cat, "棉外套", price=800), qty=1, value=1000),
                                      line(new=new_item(cat, "羊毛围巾", kind="donated_new", grade=None, price=300),
                                           qty=1, value=500),
                                      line(new=new_item(cat, "旧毛衣", price=200), qty=1, value=300)],
                     donor=donor, anonymous=False, now=NOW)
    coat, scarf, sweater = (ln.item for ln in result.donation.lines)
    open_shift(session, world, now=NOW)
    sell(session, world, (coat, 1), now=NOW)
    policy(session, "dibao", value_cap_fen=10000)
    hh = make_household(session, world.stores["YL01"], name="王建国", phone="13900001111",
                        verified_on=date(2026, 9, 1))
    hand_out(session, world, "YL01", hh, [(scarf, 1)], now=NOW)
    writeoffs.write_off(session, world.actor(session, "manager-yl01"), store_id=world.stores["YL01"].id, qty=1,
                        reason_code="damaged", reason="虫蛀", now=NOW, item_id=sweater.id)
    return result.donation


def qr_of_pdf(pdf: bytes, tmp_path) -> str:
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(tmp_path / "r.pdf"),
                    str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], check=True, capture_output=True, text=True)
    return out.stdout.strip()


@needs_tools
def test_the_receipt_qr_opens_a_page_with_exactly_the_three_fates(session, world, client, tmp_path):
    donation = three_fates(session, world)
    cashier = world.actor(session, "cashier-yl01")
    pdf, _name = documents.receipt_pdf(session, cashier, donation.id, now=NOW)
    url = qr_of_pdf(pdf, tmp_path)
    assert urlparse(url).path.startswith("/public/trace/")
    page = client.get(urlparse(url).path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('class="fate ') == 3
    assert "fate-sold" in html and "fate-aid" in html and "fate-written_off" in html
    assert "¥8.00" in html and "捐赠物资义卖收入" in html        # the price and the fund of the sale
    assert "低保" in html and "损坏" in html                      # the household's category; the reason code
    for secret in ("张三明", "13812345678", "王建国", "13900001111", "cashier-yl01", "manager-yl01", "虫蛀"):
        assert secret not in html, secret
    assert "匿名" in html                                         # the donor did not agree to be named
    # A reprint carries the same working code.
    pdf2, name2 = documents.receipt_pdf(session, cashier, donation.id, now=NOW)
    assert "补打" in name2 and qr_of_pdf(pdf2, _fresh(tmp_path)) == url


def _fresh(tmp_path):
    d = tmp_path / "again"
    d.mkdir(exist_ok=True)
    return d


def test_a_revoked_or_unknown_token_is_a_plain_404(session, world, client):
    donation = three_fates(session, world)
    tok = tr.ensure_token(session, world.actor(session, "cashier-yl01"), donation, now=NOW)
    assert client.get(f"/public/trace/{tok.token}").status_code == 200
    new = tr.reissue(session, world.actor(session, "manager-yl01"), donation.id, now=NOW)
    revoked = client.get(f"/public/trace/{tok.token}")
    unknown = client.get("/public/trace/" + "x" * 32)
    assert revoked.status_code == unknown.status_code == 404
    # The same page (the path itself is echoed in the language links, so it is blanked out first).
    assert (revoked.get_data(as_text=True).replace(tok.token, "T")
            == unknown.get_data(as_text=True).replace("x" * 32, "T"))
    assert client.get(f"/public/trace/{new.token}").status_code == 200
    assert len(new.token) >= 32 and new.token != tok.token


def test_another_stores_staff_cannot_reissue(session, world):
    from supermarket.errors import NotFound
    donation = three_fates(session, world)
    with pytest.raises(NotFound):
        tr.reissue(session, world.actor(session, "manager-fr01"), donation.id, now=NOW)


def test_a_donor_who_agreed_is_named(session, world, client):
    donation = three_fates(session, world)
    donation.donor.publish_name = True
    session.commit()
    tok = tr.ensure_token(session, world.actor(session, "cashier-yl01"), donation, now=NOW)
    assert "张三明" in client.get(f"/public/trace/{tok.token}").get_data(as_text=True)
