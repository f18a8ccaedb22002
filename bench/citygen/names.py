"""Names, places and numbers of a Changsha-like city: districts, streets, people, firms, phones, ID numbers."""
from __future__ import annotations

import random
from datetime import date, timedelta

from supermarket.privacy import id_check_char

# code, name, the 6-digit region code of its ID numbers
DISTRICTS = (
    ("FR", "芙蓉区", "430102"), ("TX", "天心区", "430103"), ("YL", "岳麓区", "430104"), ("KF", "开福区", "430105"),
    ("YH", "雨花区", "430111"), ("WC", "望城区", "430112"), ("CS", "长沙县", "430121"), ("LY", "浏阳市", "430181"),
    ("NX", "宁乡市", "430182"), ("GX", "高新区", "430104"), ("XJ", "湘江新区", "430104"), ("JK", "经开区", "430121"),
    ("LK", "临空区", "430121"), ("ML", "马栏山", "430105"), ("DW", "大王山", "430104"), ("TJ", "天际岭", "430111"),
)
STREETS = (
    "望月湖", "观沙岭", "定王台", "解放西", "五一", "韶山", "芙蓉中", "黄兴", "坡子街", "桐梓坡", "茶子山", "麓山",
    "岳麓", "枫林", "银盆岭", "洋湖", "梅溪湖", "金星", "东塘", "侯家塘", "左家塘", "圭塘", "洞井", "黎托", "高桥",
    "马王堆", "湘湖", "伍家岭", "新河", "四方坪", "月湖", "捞刀河", "星沙", "榔梨", "黄花", "暮云", "南托", "大托",
    "赤岭", "金盆岭", "先锋", "坪塘", "含浦", "雷锋", "丁字湾", "白沙洲", "乌山", "高塘岭", "荷花园", "东岸",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = ("建国秀英丽华志强美玲文军桂兰海涛敏伟芳娜静磊洋勇艳杰娟涛明超霞平刚"
         "红辉鹏飞婷云峰春梅玉兰德华小雨子涵梓轩浩宇欣怡")
FIRMS = (
    "长沙爱心商贸有限公司", "湖南惠民食品有限公司", "湖南湘粮集团", "长沙步步高超市", "湖南友阿商业股份有限公司",
    "长沙市慈善助学会", "湖南新长海连锁", "长沙市青年企业家协会", "湖南金健米业", "长沙绝味食品公益基金",
    "湖南晚报爱心基金", "长沙市餐饮行业协会", "湖南茶颜悦色公益", "长沙银行志愿者协会", "湖南省邮政爱心团队",
)
RELATIONS = ("邻居", "子女", "配偶", "社区网格员", "亲属")


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def community(rng: random.Random) -> str:
    return rng.choice(STREETS) + "社区"


def address(rng: random.Random, district: str) -> str:
    street, number, block = rng.choice(STREETS), rng.randint(1, 399), rng.randint(1, 30)
    return f"{district}{street}路{number}号{block}栋{rng.randint(1, 6)}0{rng.randint(1, 4)}"


def phone(prefix: str, n: int) -> str:
    """An 11-digit mobile number unique for each (prefix, n): residents, donors and households each own one."""
    return f"{prefix}{n:09d}"[:11]


def id_number(region: str, n: int) -> str:
    """A valid mainland ID number (GB 11643 check character), different for every n < 20 million."""
    born = date(1940, 1, 1) + timedelta(days=n % 20000)
    first17 = f"{region}{born:%Y%m%d}{n // 20000 % 1000:03d}"
    return first17 + id_check_char(first17)
