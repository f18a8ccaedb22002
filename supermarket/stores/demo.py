"""Demo districts and stores."""
from ..auth.permissions import system_actor
from . import service

DISTRICTS = [("YL", "岳麓区"), ("FR", "芙蓉区")]
STORES = [
    ("YL01", "岳麓区望月湖慈善超市", "YL", "岳麓区望月湖街道桐梓坡路 88 号", 120, "09:00–18:00"),
    ("YL02", "岳麓区观沙岭慈善超市", "YL", "岳麓区观沙岭街道茶子山路 16 号", 85, "09:00–17:30"),
    ("FR01", "芙蓉区定王台慈善超市", "FR", "芙蓉区定王台街道解放西路 201 号", 150, "08:30–18:00"),
]


def load(session, ctx):
    actor = system_actor("demo")
    for code, name in DISTRICTS:
        ctx.districts[code] = service.create_district(session, actor, code=code, name=name)
    for code, name, district, address, area, hours in STORES:
        ctx.stores[code] = service.create_store(
            session, actor, code=code, name=name, district_id=ctx.districts[district].id, address=address,
            floor_area_m2=area, opening_hours=hours, status="open")
