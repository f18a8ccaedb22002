"""Demo accounts, all with the password changsha2023."""
from ..demo import DEMO_PASSWORD
from .permissions import Role, system_actor
from . import service

ACCOUNTS = [
    ("admin", "市慈善总会管理员", Role.FEDERATION_ADMIN, None, None),
    ("auditor-yl", "岳麓区审核员 李敏", Role.DISTRICT_AUDITOR, None, "YL"),
    ("auditor-fr", "芙蓉区审核员 王芳", Role.DISTRICT_AUDITOR, None, "FR"),
    ("auditor-tx", "天心区审核员 罗杰", Role.DISTRICT_AUDITOR, None, "TX"),
    ("manager-yl01", "望月湖店长 陈刚", Role.STORE_MANAGER, "YL01", None),
    ("manager-yl02", "观沙岭店长 赵丽", Role.STORE_MANAGER, "YL02", None),
    ("manager-fr01", "定王台店长 刘洋", Role.STORE_MANAGER, "FR01", None),
    ("cashier-yl01", "收银员 张小明", Role.CASHIER, "YL01", None),
    ("cashier-yl02", "收银员 周静", Role.CASHIER, "YL02", None),
    ("cashier-fr01", "收银员 黄磊", Role.CASHIER, "FR01", None),
    ("manager-tx01", "坡子街店长 彭涛", Role.STORE_MANAGER, "TX01", None),
    ("manager-tx02", "书院路店长 邓红", Role.STORE_MANAGER, "TX02", None),
    ("manager-tx03", "青园店长 曾伟", Role.STORE_MANAGER, "TX03", None),
    ("cashier-tx01", "收银员 吴芳", Role.CASHIER, "TX01", None),
    ("cashier-tx02", "收银员 谭军", Role.CASHIER, "TX02", None),
    ("cashier-tx03", "收银员 易欣", Role.CASHIER, "TX03", None),
]
DEMO_PIN = "2468"


def load(session, ctx):
    actor = system_actor("demo")
    for username, name, role, store, district in ACCOUNTS:
        ctx.users[username] = service.create_user(
            session, actor, username=username, display_name=name, password=DEMO_PASSWORD, role=role,
            store_id=ctx.stores[store].id if store else None,
            district_id=ctx.districts[district].id if district else None,
            pin=DEMO_PIN if role is Role.STORE_MANAGER else None)
