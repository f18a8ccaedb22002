"""The public store page's opening hours as data (outreach's weekday rows), in the page and the JSON."""
from datetime import time

from supermarket.outreach.models import OpeningHours


def test_opening_hours_per_weekday(session, world, client):
    store = world.stores["YL01"]
    assert "营业时间" in client.get("/public/stores/YL01").get_data(as_text=True)
    for day in range(5):
        session.add(OpeningHours(store_id=store.id, weekday=day, opens_at=time(9), closes_at=time(17, 30)))
    session.add(OpeningHours(store_id=store.id, weekday=5, opens_at=time(10), closes_at=time(16)))
    session.commit()
    html = client.get("/public/stores/YL01").get_data(as_text=True)
    assert "周一" in html and "09:00–17:30" in html and "10:00–16:00" in html and "休息" in html
    week = client.get("/public/api/stores/YL01").get_json()["opening_week"]
    assert week[0] == {"weekday": "周一", "hours": "09:00–17:30"} and week[6] == {"weekday": "周日", "hours": "休息"}


def _decision(session, store, *, stars, valid_from, valid_until, status="valid", token="tok-star-1"):
    from datetime import datetime, timezone

    from supermarket.rating.models import Decision

    d = Decision(store_id=store.id, number=f"YL-2026-{token[-4:]}", stars=stars, reasons=[], decided_by="admin",
                 decided_at=datetime(2026, 1, 5, 2, tzinfo=timezone.utc), valid_from=valid_from,
                 valid_until=valid_until, status=status, reapply_after=valid_from, token=token)
    session.add(d)
    session.commit()
    return d


def test_the_star_is_stated_with_its_validity_and_a_link_to_verify_it(session, world, client):
    from datetime import date

    store = world.stores["YL01"]
    html = client.get("/public/stores/YL01").get_data(as_text=True)
    assert "未评定" in html[html.index('id="store-star"'):][:400]
    d = _decision(session, store, stars=3, valid_from=date(2026, 1, 5), valid_until=date(2029, 1, 4))
    star = client.get("/public/stores/YL01").get_data(as_text=True)
    star = star[star.index('id="store-star"'):][:900]
    assert "★★★" in star and "有效期至 2029-01-04" in star and "/public/rating/tok-star-1" in star
    assert client.get("/public/api/stores/YL01").get_json()["star_status"] == {
        "stars": 3, "state": "valid", "valid_until": "2029-01-04"}
    d.status = "revoked"
    session.commit()
    star = client.get("/public/stores/YL01").get_data(as_text=True)
    star = star[star.index('id="store-star"'):][:900]
    assert "3 星已撤销" in star and "★" not in star and "/public/rating/tok-star-1" in star


def test_an_expired_star_reads_as_expired_and_the_store_phone_shows_when_set(session, world, client):
    from datetime import date

    store = world.stores["YL01"]
    _decision(session, store, stars=2, valid_from=date(2022, 1, 5), valid_until=date(2025, 1, 4), token="tok-old")
    store.phone = "0731-88886666"
    session.commit()
    html = client.get("/public/stores/YL01").get_data(as_text=True)
    star = html[html.index('id="store-star"'):][:900]
    assert "原 2 星已于 2025-01-04 到期" in star and "★" not in star
    assert "门店电话" in html and "0731-88886666" in html
