"""The demo enterprises and their facilities: fictional companies across real communes.

Seeds are written by hand; ``enterprise_rows`` and ``facility_rows`` turn them
into the plain values the service stores (codes, tax codes, addresses and
e-mails are derived deterministically).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.demo.province import COMMUNE_BY_NAME, EMAIL_DOMAIN, PARK_BY_NAME, TAX_PREFIX, address, tax_code

# Industry code (as the rules use it) -> the letters in a facility code.
INDUSTRY_LETTERS = {
    "seafood": "TS",
    "paper": "GI",
    "textile_dyeing": "DN",
    "thermal_power": "ND",
    "cement": "XM",
    "steel": "TH",
    "chemicals": "HC",
    "food_processing": "TP",
    "sugar": "DU",
    "beverage": "NG",
    "brewery": "BI",
    "rubber": "CS",
    "livestock": "CN",
    "hospital": "BV",
    "central_wwtp": "XL",
    "waste_treatment": "XT",
    "aquaculture": "NT",
}


@dataclass(frozen=True)
class FacilitySeed:
    """A facility: in an industrial park (with its lot) or at a site in a commune."""

    industry: str
    name: str
    commune: str
    park: str | None = None
    lot: str | None = None


@dataclass(frozen=True)
class EnterpriseSeed:
    """An enterprise; ``key`` names it in the user list and its e-mail domain."""

    key: str
    name: str
    facilities: tuple[FacilitySeed, ...]


def _park(industry: str, name: str, park: str, lot: str) -> FacilitySeed:
    return FacilitySeed(industry, name, PARK_BY_NAME[park].commune, park, lot)


def _site(industry: str, name: str, commune: str) -> FacilitySeed:
    return FacilitySeed(industry, name, commune)


def _wwtp(park: str) -> FacilitySeed:
    return _park("central_wwtp", f"Nhà máy xử lý nước thải tập trung {park}", park, "HTKT")


E = EnterpriseSeed
TN1, TN2, HP1, TNOT, TPT, AN = (
    "KCN Trà Nóc 1",
    "KCN Trà Nóc 2",
    "KCN Hưng Phú 1",
    "KCN Thốt Nốt",
    "KCN Tân Phú Thạnh",
    "KCN An Nghiệp",
)

ENTERPRISES: tuple[EnterpriseSeed, ...] = (
    # Seafood.
    E("phuthinh", "Công ty TNHH Thủy sản Phú Thịnh", (
        _park("seafood", "Nhà máy chế biến thủy sản Phú Thịnh 1", TN1, "16A"),
        _park("seafood", "Nhà máy chế biến thủy sản Phú Thịnh 2", TN2, "II-8"),
        _park("seafood", "Nhà máy chế biến tôm Phú Thịnh Sóc Trăng", AN, "C5"),
    )),
    E("mykhang", "Công ty CP Chế biến Thủy sản Mỹ Khang", (
        _park("seafood", "Nhà máy đông lạnh Mỹ Khang", HP1, "2B-4"),
    )),
    E("tanphongloc", "Công ty TNHH Hải sản Tân Phong Lộc", (
        _site("seafood", "Xưởng chế biến hải sản Tân Phong Lộc", "Vĩnh Châu"),
    )),
    E("hoathuanphat", "Công ty CP Thủy sản Hòa Thuận Phát", (
        _park("seafood", "Nhà máy cá tra phi lê Hòa Thuận Phát", TNOT, "A-12"),
        _site("seafood", "Xưởng bột cá và mỡ cá Hòa Thuận Phát", "Thuận Hưng"),
    )),
    E("baongoc", "Công ty TNHH Tôm Đông lạnh Bảo Ngọc", (
        _site("seafood", "Nhà máy tôm đông lạnh Bảo Ngọc", "Mỹ Xuyên"),
    )),
    E("lochungtay", "Công ty CP Thủy sản Lộc Hưng Tây", (
        _site("seafood", "Nhà máy chế biến thủy sản Lộc Hưng Tây", "Thới Long"),
    )),
    E("kimson", "Công ty TNHH Cá tra Kim Sơn Mê Kông", (
        _site("seafood", "Nhà máy phi lê cá tra Kim Sơn", "Trung Nhứt"),
    )),
    E("thinhvuongnam", "Công ty TNHH Thủy sản Thịnh Vượng Nam", (
        _site("seafood", "Nhà máy chế biến tôm Thịnh Vượng Nam", "Long Phú"),
    )),
    # Paper.
    E("songhauxanh", "Công ty CP Giấy Sông Hậu Xanh", (
        _park("paper", "Nhà máy giấy bao bì Sông Hậu Xanh", TPT, "B-3"),
        _site("paper", "Nhà máy bột giấy Sông Hậu Xanh Phụng Hiệp", "Phụng Hiệp"),
    )),
    E("thanhdat", "Công ty TNHH Bao bì Giấy Thành Đạt Tây Nam", (
        _park("paper", "Xưởng giấy carton Thành Đạt", TN2, "II-21"),
    )),
    # Textile dyeing.
    E("hoanggiaphat", "Công ty TNHH Dệt nhuộm Hoàng Gia Phát", (
        _park("textile_dyeing", "Nhà máy dệt nhuộm Hoàng Gia Phát", TPT, "D-7"),
    )),
    E("namsonghau", "Công ty CP Dệt may Nam Sông Hậu", (
        _park("textile_dyeing", "Nhà máy nhuộm và hoàn tất vải Nam Sông Hậu", AN, "A3"),
    )),
    # Power from fuel.
    E("thinhan", "Công ty CP Nhiệt điện Mê Kông Thịnh An", (
        _site("thermal_power", "Nhà máy nhiệt điện Mê Kông Thịnh An", "Phước Thới"),
    )),
    E("dongbangxanh", "Công ty TNHH Điện Sinh khối Đồng Bằng Xanh", (
        _site("thermal_power", "Nhà máy điện trấu Đồng Bằng Xanh Thới Lai", "Thới Lai"),
        _site("thermal_power", "Nhà máy điện trấu Đồng Bằng Xanh Cờ Đỏ", "Cờ Đỏ"),
    )),
    # Cement and steel.
    E("hunglong", "Công ty CP Xi măng Tây Nam Hưng Long", (
        _park("cement", "Trạm nghiền xi măng Hưng Long", TN1, "9-10"),
    )),
    E("vanphat", "Công ty TNHH Xi măng Vạn Phát Miền Tây", (
        _site("cement", "Nhà máy xi măng Vạn Phát", "Ngã Bảy"),
    )),
    E("thanhcong", "Công ty CP Thép Cửu Long Thành Công", (
        _park("steel", "Nhà máy luyện phôi thép Cửu Long Thành Công", TN2, "II-30"),
    )),
    E("phuongnamviet", "Công ty TNHH Cán thép Phương Nam Việt", (
        _park("steel", "Nhà máy cán thép Phương Nam Việt", HP1, "3A-1"),
    )),
    # Chemicals.
    E("daiphong", "Công ty CP Hóa chất Nông nghiệp Đại Phong", (
        _park("chemicals", "Nhà máy phân bón và hóa chất Đại Phong", TN1, "22"),
    )),
    E("tanthanhloi", "Công ty TNHH Hóa chất Tân Thành Lợi", (
        _park("chemicals", "Nhà máy hóa chất xử lý nước Tân Thành Lợi", TPT, "C-2"),
    )),
    # Food.
    E("bamien", "Công ty CP Thực phẩm Ba Miền Tây Đô", (
        _park("food_processing", "Nhà máy thực phẩm đóng hộp Ba Miền", HP1, "5C"),
        _site("food_processing", "Xưởng chế biến trái cây Ba Miền Cái Răng", "Cái Răng"),
    )),
    E("phongdienxanh", "Công ty TNHH Nông sản Phong Điền Xanh", (
        _site("food_processing", "Xưởng sấy trái cây Phong Điền Xanh", "Phong Điền"),
    )),
    E("thinhphatcodo", "Công ty TNHH Lương thực Thịnh Phát Cờ Đỏ", (
        _site("food_processing", "Nhà máy xay xát, lau bóng gạo Thịnh Phát", "Cờ Đỏ"),
    )),
    E("vinhthanhloi", "Công ty CP Chế biến Gạo Vĩnh Thạnh Lợi", (
        _site("food_processing", "Nhà máy gạo Vĩnh Thạnh Lợi 1", "Vĩnh Thạnh"),
        _site("food_processing", "Nhà máy gạo Vĩnh Thạnh Lợi 2", "Thạnh An"),
    )),
    E("huongque", "Công ty CP Thực phẩm Hương Quê Nam Bộ", (
        _site("food_processing", "Nhà máy chế biến thực phẩm Hương Quê", "Kế Sách"),
    )),
    E("kimhuongloc", "Công ty TNHH Bánh pía Kim Hương Lộc", (
        _site("food_processing", "Xưởng bánh pía và lạp xưởng Kim Hương Lộc", "Sóc Trăng"),
    )),
    E("khomvang", "Công ty TNHH Nông sản Khóm Vàng", (
        _site("food_processing", "Nhà máy chế biến khóm Khóm Vàng", "Hỏa Lựu"),
    )),
    E("ngannamthinh", "Công ty TNHH Xay xát Ngã Năm Thịnh", (
        _site("food_processing", "Nhà máy xay xát lúa gạo Ngã Năm Thịnh", "Ngã Năm"),
    )),
    E("binhthuyan", "Công ty TNHH Thực phẩm Bình Thủy An", (
        _site("food_processing", "Xưởng chế biến thực phẩm Bình Thủy An", "Bình Thủy"),
    )),
    E("thoianphat", "Công ty CP Lương thực Thới An Phát", (
        _site("food_processing", "Nhà máy lau bóng gạo xuất khẩu Thới An Phát", "Ô Môn"),
    )),
    E("nhonaiphat", "Công ty TNHH Chế biến Thịt Nhơn Ái Phát", (
        _site("food_processing", "Cơ sở giết mổ gia súc tập trung Nhơn Ái Phát", "Nhơn Ái"),
    )),
    # Sugar, drinks, beer, rubber.
    E("hiepthanhloi", "Công ty CP Mía đường Hiệp Thành Lợi", (
        _site("sugar", "Nhà máy đường Hiệp Thành Lợi", "Phụng Hiệp"),
        _site("sugar", "Nhà máy đường Hiệp Thành Lợi Long Mỹ", "Long Mỹ"),
    )),
    E("suoingoc", "Công ty TNHH Nước giải khát Suối Ngọc Mê Kông", (
        _park("beverage", "Nhà máy nước giải khát Suối Ngọc", TN2, "II-14"),
    )),
    E("thienphuc", "Công ty TNHH Nước uống đóng chai Thiên Phúc", (
        _site("beverage", "Xưởng nước uống đóng chai Thiên Phúc", "Long Tuyền"),
    )),
    E("xanoxanh", "Công ty TNHH Nước giải khát Xà No Xanh", (
        _site("beverage", "Nhà máy nước giải khát Xà No Xanh", "Vị Thanh"),
    )),
    E("huonglua", "Công ty CP Bia Hương Lúa Miền Tây", (
        _park("brewery", "Nhà máy bia Hương Lúa", TN1, "31"),
    )),
    E("tanviethung", "Công ty TNHH Cao su Kỹ thuật Tân Việt Hưng", (
        _park("rubber", "Nhà máy cao su kỹ thuật Tân Việt Hưng", AN, "B8"),
        _site("rubber", "Xưởng sơ chế mủ cao su Tân Việt Hưng", "Đại Thành"),
    )),
    # Livestock.
    E("truongphat", "Công ty TNHH Chăn nuôi Trường Phát", (
        _site("livestock", "Trại heo Trường Phát", "Thới Lai"),
    )),
    E("anlocphat", "Công ty CP Chăn nuôi Gia cầm An Lộc Phát", (
        _site("livestock", "Trại gà An Lộc Phát", "Mỹ Tú"),
    )),
    E("dongxanh", "Công ty TNHH Bò sữa Đồng Xanh", (
        _site("livestock", "Trại bò sữa Đồng Xanh", "Vị Thủy"),
    )),
    E("hungdienphat", "Công ty CP Nông nghiệp Hưng Điền Phát", (
        _site("livestock", "Trại heo nái Hưng Điền Phát", "Tân Hòa"),
    )),
    # Hospitals.
    E("phucan", "Công ty CP Y tế Phúc An Tây Đô", (
        _site("hospital", "Bệnh viện Đa khoa Phúc An Tây Đô", "Ninh Kiều"),
    )),
    E("ankhang", "Công ty CP Y tế An Khang Phú Lợi", (
        _site("hospital", "Bệnh viện Đa khoa An Khang", "Phú Lợi"),
    )),
    E("vanxuan", "Công ty TNHH Bệnh viện Vạn Xuân", (
        _site("hospital", "Bệnh viện Đa khoa Vạn Xuân Vị Thanh", "Vị Tân"),
    )),
    E("hoakhanh", "Công ty CP Y khoa Hòa Khánh", (
        _site("hospital", "Bệnh viện Đa khoa Hòa Khánh", "An Bình"),
    )),
    E("baochau", "Công ty TNHH Bệnh viện Sản Nhi Bảo Châu", (
        _site("hospital", "Bệnh viện Chuyên khoa Sản Nhi Bảo Châu", "Tân An"),
    )),
    E("anhduong", "Công ty CP Bệnh viện Mắt Ánh Dương", (
        _site("hospital", "Bệnh viện Mắt Ánh Dương", "Cái Khế"),
    )),
    # The parks' central wastewater plants.
    E("hatangtaynam", "Công ty CP Hạ tầng Công nghiệp Tây Nam Sông Hậu", (
        _wwtp(TN1), _wwtp(TN2), _wwtp(HP1), _wwtp(TNOT),
    )),
    E("hatangphuongnam", "Công ty TNHH Đầu tư Hạ tầng Phương Nam", (
        _wwtp(TPT), _wwtp(AN),
    )),
    # Waste treatment and aquaculture.
    E("phuongnamsach", "Công ty TNHH Xử lý Chất thải Công nghiệp Phương Nam Sạch", (
        _site("waste_treatment", "Nhà máy xử lý chất thải nguy hại Phương Nam Sạch", "Mỹ Tú"),
    )),
    E("taydoxanh", "Công ty CP Năng lượng Môi trường Tây Đô Xanh", (
        _site("waste_treatment", "Nhà máy đốt chất thải rắn sinh hoạt tập trung Tây Đô Xanh", "Thới Lai"),
    )),
    E("vinhchauxanh", "Công ty CP Nuôi trồng Thủy sản Vĩnh Châu Xanh", (
        _site("aquaculture", "Trại nuôi tôm thẻ chân trắng công nghệ cao Vĩnh Châu Xanh", "Vĩnh Châu"),
    )),
)  # fmt: skip

ENTERPRISE_BY_KEY = {e.key: e for e in ENTERPRISES}


def _tax_codes() -> dict[str, str]:
    """One tax code per enterprise, by the former province of its first facility."""
    codes: dict[str, str] = {}
    serial = 1370
    for enterprise in ENTERPRISES:
        prefix = TAX_PREFIX[COMMUNE_BY_NAME[enterprise.facilities[0].commune].former_province]
        while True:
            serial += 37
            try:
                codes[enterprise.key] = tax_code(prefix, serial)
                break
            except ValueError:  # no check digit exists for this serial
                continue
    return codes


def facility_rows() -> list[dict[str, Any]]:
    """Every demo facility as the values of its row (``enterprise`` is the enterprise key)."""
    rows: list[dict[str, Any]] = []
    numbers = dict.fromkeys(INDUSTRY_LETTERS, 0)
    for enterprise in ENTERPRISES:
        for position, seed in enumerate(enterprise.facilities):
            numbers[seed.industry] += 1
            commune = COMMUNE_BY_NAME[seed.commune]
            mailbox = "moitruong" if position == 0 else f"moitruong{position + 1}"
            rows.append(
                {
                    "code": f"CT-{INDUSTRY_LETTERS[seed.industry]}-{numbers[seed.industry]:03d}",
                    "name": seed.name,
                    "enterprise": enterprise.key,
                    "commune": commune.label,
                    "district": commune.former_district,
                    "address": address(commune, 11 + (len(rows) * 37) % 480, seed.park, seed.lot),
                    "industrial_park": seed.park,
                    "industry_type": seed.industry,
                    "contact_email": f"{mailbox}@{enterprise.key}.{EMAIL_DOMAIN}",
                }
            )
    return rows


def enterprise_rows() -> list[dict[str, Any]]:
    """Every demo enterprise: key, name, tax code and head-office address (its first site)."""
    codes = _tax_codes()
    first_address = {}
    for row in facility_rows():
        first_address.setdefault(row["enterprise"], row["address"])
    return [
        {"key": e.key, "name": e.name, "tax_code": codes[e.key], "address": first_address[e.key]}
        for e in ENTERPRISES
    ]
