"""The public list (公示) never drops a hand-out: more hand-outs than a page holds all appear across the store's
pages, the city page counts every one of them per store, and the store's PDF holds them all (rendered once per
published version, then served as stored)."""
import re

from supermarket.aid import public
from supermarket.aid.models import PublicListPdf
from tests.printing import pdfcheck

from .factories import aid_item, hand_out, make_household, policy

NAMES = "赵钱孙李周吴郑王冯陈褚"


def test_every_handout_appears_across_the_public_pages(session, world, client, monkeypatch):
    monkeypatch.setattr(public, "PER_PAGE", 3)
    policy(session)
    rice = aid_item(session, [world.stores["YL01"]], name="大米", price_fen=1000, qty=100)
    made = []
    for n, family in enumerate(NAMES[:8]):
        h = make_household(session, world.stores["YL01"], name=f"{family}小明")
        made.append(hand_out(session, world, "YL01", h, [(rice, 1)]).distribution)
    month = made[0].handed_out_on.strftime("%Y-%m")

    seen, url, pages = [], f"/public/aid?store=YL01&month={month}", 0
    while url:
        page = client.get(url).get_data(as_text=True)
        pages += 1
        seen += re.findall(r"<td>(.\*明)</td>", page)
        assert "共 8 条" in page and "本月合计 8 户次" in page
        nxt = re.search(r'rel="next" href="([^"]+)"', page)
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
    assert pages == 3
    assert sorted(seen) == sorted(f"{f}*明" for f in NAMES[:8])

    city = client.get(f"/public/aid?month={month}").get_data(as_text=True)
    assert "全市合计 8 户次" in city and "YL02" in city and "FR01" in city

    pdf = client.get(f"/public/aid.pdf?store=YL01&month={month}")
    text = pdfcheck.text(pdf.data)
    assert all(f"{f}*明" in text for f in NAMES[:8])
    stored = session.query(PublicListPdf).one()
    assert stored.rows == 8
    # unchanged month: the stored bytes, not a new rendering
    monkeypatch.setattr("supermarket.aid.service.public_list_pdf", lambda *a, **k: b"rendered again")
    assert client.get(f"/public/aid.pdf?store=YL01&month={month}").data == pdf.data
    # a new hand-out makes a new version
    h = make_household(session, world.stores["YL01"], name="卫小明")
    hand_out(session, world, "YL01", h, [(rice, 1)])
    assert client.get(f"/public/aid.pdf?store=YL01&month={month}").data == b"rendered again"
