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
