"""The demo province as plain data: Cần Thơ after the 1 July 2025 reorganisation.

Cần Thơ was merged with Hậu Giang and Sóc Trăng; local government has two
levels (the city and its communes and wards), and a facility keeps its former
district only for history. The communes and industrial parks below are real;
the enterprises (province_facilities.py) and the people are fictional.

Nothing here touches Flask or the database, and nothing is random: every run
builds the same province.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY = "thành phố Cần Thơ"
DEMO_REASON = "dữ liệu demo"
EMAIL_DOMAIN = "example.vn"

# Former province -> first two digits of its tax codes.
TAX_PREFIX = {"Cần Thơ": "18", "Hậu Giang": "63", "Sóc Trăng": "22"}


@dataclass(frozen=True)
class Commune:
    """A commune (xã) or ward (phường) of the new city, with where it used to belong."""

    name: str
    kind: str  # "phường" or "xã"
    former_district: str
    former_province: str
    street: str | None = None  # a road through it, for street addresses

    @property
    def label(self) -> str:
        """The name as lists show it, e.g. ``Phường Ninh Kiều``."""
        return f"{self.kind.capitalize()} {self.name}"


@dataclass(frozen=True)
class IndustrialPark:
    """An industrial park (KCN) and the commune it lies in."""

    name: str
    commune: str


_CT, _HG, _ST = "Cần Thơ", "Hậu Giang", "Sóc Trăng"
_P, _X = "phường", "xã"

COMMUNES: tuple[Commune, ...] = (
    # Former Cần Thơ.
    Commune("Ninh Kiều", _P, "Quận Ninh Kiều", _CT, "đường Trần Hưng Đạo"),
    Commune("Cái Khế", _P, "Quận Ninh Kiều", _CT, "đường Trần Phú"),
    Commune("Tân An", _P, "Quận Ninh Kiều", _CT, "đường 30 Tháng 4"),
    Commune("An Bình", _P, "Quận Ninh Kiều", _CT, "đường Nguyễn Văn Cừ"),
    Commune("Thới An Đông", _P, "Quận Bình Thủy", _CT, "đường Lê Hồng Phong"),
    Commune("Bình Thủy", _P, "Quận Bình Thủy", _CT, "đường Cách Mạng Tháng Tám"),
    Commune("Long Tuyền", _P, "Quận Bình Thủy", _CT, "Quốc lộ 91B"),
    Commune("Cái Răng", _P, "Quận Cái Răng", _CT, "Quốc lộ 1"),
    Commune("Hưng Phú", _P, "Quận Cái Răng", _CT, "đường Võ Nguyên Giáp"),
    Commune("Ô Môn", _P, "Quận Ô Môn", _CT, "Quốc lộ 91"),
    Commune("Phước Thới", _P, "Quận Ô Môn", _CT, "Quốc lộ 91"),
    Commune("Thới Long", _P, "Quận Ô Môn", _CT),
    Commune("Trung Nhứt", _P, "Quận Thốt Nốt", _CT, "Quốc lộ 91"),
    Commune("Thuận Hưng", _P, "Quận Thốt Nốt", _CT),
    Commune("Thốt Nốt", _P, "Quận Thốt Nốt", _CT, "Quốc lộ 91"),
    Commune("Phong Điền", _X, "Huyện Phong Điền", _CT, "Quốc lộ 61C"),
    Commune("Nhơn Ái", _X, "Huyện Phong Điền", _CT),
    Commune("Thới Lai", _X, "Huyện Thới Lai", _CT),
    Commune("Cờ Đỏ", _X, "Huyện Cờ Đỏ", _CT),
    Commune("Vĩnh Thạnh", _X, "Huyện Vĩnh Thạnh", _CT, "Quốc lộ 80"),
    Commune("Thạnh An", _X, "Huyện Vĩnh Thạnh", _CT, "Quốc lộ 80"),
    # Former Hậu Giang.
    Commune("Vị Thanh", _P, "TP. Vị Thanh", _HG, "Quốc lộ 61"),
    Commune("Vị Tân", _P, "TP. Vị Thanh", _HG),
    Commune("Hỏa Lựu", _X, "TP. Vị Thanh", _HG, "Quốc lộ 61"),
    Commune("Ngã Bảy", _P, "TP. Ngã Bảy", _HG),
    Commune("Đại Thành", _P, "TP. Ngã Bảy", _HG),
    Commune("Long Mỹ", _P, "TX. Long Mỹ", _HG),
    Commune("Vị Thủy", _X, "Huyện Vị Thủy", _HG),
    Commune("Thạnh Xuân", _X, "Huyện Châu Thành A", _HG, "Quốc lộ 1"),
    Commune("Tân Hòa", _X, "Huyện Châu Thành A", _HG, "Quốc lộ 61B"),
    Commune("Phụng Hiệp", _X, "Huyện Phụng Hiệp", _HG),
    # Former Sóc Trăng.
    Commune("Phú Lợi", _P, "TP. Sóc Trăng", _ST),
    Commune("Sóc Trăng", _P, "TP. Sóc Trăng", _ST),
    Commune("Mỹ Xuyên", _P, "Huyện Mỹ Xuyên", _ST),
    Commune("Vĩnh Châu", _P, "TX. Vĩnh Châu", _ST),
    Commune("Ngã Năm", _P, "TX. Ngã Năm", _ST),
    Commune("An Ninh", _X, "Huyện Châu Thành (Sóc Trăng)", _ST),
    Commune("Kế Sách", _X, "Huyện Kế Sách", _ST),
    Commune("Long Phú", _X, "Huyện Long Phú", _ST),
    Commune("Mỹ Tú", _X, "Huyện Mỹ Tú", _ST),
)

COMMUNE_BY_NAME = {c.name: c for c in COMMUNES}

INDUSTRIAL_PARKS: tuple[IndustrialPark, ...] = (
    IndustrialPark("KCN Trà Nóc 1", "Thới An Đông"),
    IndustrialPark("KCN Trà Nóc 2", "Phước Thới"),
    IndustrialPark("KCN Hưng Phú 1", "Hưng Phú"),
    IndustrialPark("KCN Thốt Nốt", "Thốt Nốt"),
    IndustrialPark("KCN Tân Phú Thạnh", "Thạnh Xuân"),
    IndustrialPark("KCN An Nghiệp", "An Ninh"),
)

PARK_BY_NAME = {p.name: p for p in INDUSTRIAL_PARKS}

# The agency block of documents (settings "agency.*"); the signatory is fictional.
AGENCY = {
    "agency.province": "Cần Thơ",
    "agency.superior_body": "UBND THÀNH PHỐ CẦN THƠ",
    "agency.name": "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "agency.abbreviation": "SNNMT",
    "agency.division": "Chi cục Bảo vệ môi trường",
    "agency.division_abbreviation": "CCBVMT",
    "agency.signatory_authority": "KT. GIÁM ĐỐC",
    "agency.signatory_title": "PHÓ GIÁM ĐỐC",
    "agency.signatory_name": "Huỳnh Thanh Phong",
    "agency.email": f"ccbvmt.snnmt@{EMAIL_DOMAIN}",
}


@dataclass(frozen=True)
class DemoUser:
    """A demo account; ``enterprise`` is the key of its enterprise (enterprise users only)."""

    email: str
    role: str
    full_name: str
    password: str
    enterprise: str | None = None


USERS: tuple[DemoUser, ...] = (
    DemoUser(f"quantri.demo@{EMAIL_DOMAIN}", "admin", "Phạm Quốc Bảo", "Demo-Admin-2026"),
    DemoUser(f"canbo1.demo@{EMAIL_DOMAIN}", "inspector", "Nguyễn Thị Thanh Hương", "Demo-CanBo1-2026"),
    DemoUser(f"canbo2.demo@{EMAIL_DOMAIN}", "inspector", "Trần Văn Lộc", "Demo-CanBo2-2026"),
    DemoUser(f"lanhdao.demo@{EMAIL_DOMAIN}", "leader", "Lê Minh Tuấn", "Demo-LanhDao-2026"),
    DemoUser(
        f"phuthinh.demo@{EMAIL_DOMAIN}", "enterprise", "Võ Thị Ngọc Lan", "Demo-PhuThinh-2026", "phuthinh"
    ),
    DemoUser(
        f"songhauxanh.demo@{EMAIL_DOMAIN}", "enterprise", "Đặng Hoàng Nam", "Demo-GiaySHX-2026", "songhauxanh"
    ),
    DemoUser(f"phucan.demo@{EMAIL_DOMAIN}", "enterprise", "Lý Thị Kim Ngân", "Demo-PhucAn-2026", "phucan"),
)

ADMIN_EMAIL = USERS[0].email


def tax_code(prefix: str, serial: int) -> str:
    """A 10-digit tax code with a valid check digit, in a serial range not yet issued.

    The last digit follows the tax-code checksum (weights 31, 29, 23, 19, 17,
    13, 7, 5, 3); serials whose checksum has no digit are skipped by the caller.
    """
    body = f"{prefix}09{serial:05d}"
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    check = 10 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
    if check == 10:
        raise ValueError(body)
    return body + str(check)


def address(commune: Commune, number: int, park: str | None = None, lot: str | None = None) -> str:
    """A plausible address: a lot in a park, a house on a road, or a land parcel."""
    place = f"{commune.kind} {commune.name}, {CITY}"
    if park:
        return f"Lô {lot or number}, {park}, {place}"
    if commune.street:
        return f"Số {number}, {commune.street}, {place}"
    return f"Thửa đất số {number}, tờ bản đồ số {number % 37 + 3}, {place}"
