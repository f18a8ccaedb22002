"""Demo districts and stores."""
from ..auth.permissions import system_actor
from . import service

DISTRICTS = [("YL", "岳麓区"), ("FR", "芙蓉区"), ("TX", "天心区")]
STORES = [
    ("YL01", "岳麓区望月湖慈善超市", "YL", "岳麓区望月湖街道桐梓坡路 88 号", 120, "09:00–18:00"),
    ("YL02", "岳麓区观沙岭慈善超市", "YL", "岳麓区观沙岭街道茶子山路 16 号", 85, "09:00–17:30"),
    ("FR01", "芙蓉区定王台慈善超市", "FR", "芙蓉区定王台街道解放西路 201 号", 150, "08:30–18:00"),
    # 天心区: three stores that the central check tells apart (see supermarket/standards/demo.py): TX01 leaves
    # hand-outs unsigned (a red line), TX02 skips stocktakes and pledge follow-ups, TX03 is close to the next star.
    ("TX01", "天心区坡子街慈善超市", "TX", "天心区坡子街街道坡子街 45 号", 90, "09:00–17:30"),
    ("TX02", "天心区书院路慈善超市", "TX", "天心区书院路街道书院路 310 号", 60, "09:30–17:00"),
    ("TX03", "天心区青园慈善超市", "TX", "天心区青园街道友谊路 128 号", 110, "09:00–18:00"),
]


def load(session, ctx):
    actor = system_actor("demo")
    for code, name in DISTRICTS:
        ctx.districts[code] = service.create_district(session, actor, code=code, name=name)
    for code, name, district, address, area, hours in STORES:
        ctx.stores[code] = service.create_store(
            session, actor, code=code, name=name, district_id=ctx.districts[district].id, address=address,
            floor_area_m2=area, opening_hours=hours, status="open")
