"""GB/T 2260 districts of the 31 mainland provinces, read from python-stdnum's table."""

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MUNICIPALITY_CODES = ("11", "12", "31", "50")

# A name part in loc.dat: "[1983-2005]东山区", "[2014-]从化区" or plain "天河区".
_PART = re.compile(r"^(?:\[(?P<start>\d*)-(?P<end>\d*)\])?(?P<name>.+)$")
_PROVINCE_LINE = re.compile(r'^(?P<code>\d{2}) province="(?P<name>[^"]+)"')
_COUNTY_LINE = re.compile(r'^\s+(?P<code>\d{4}) county="(?P<name>[^"]+)"')


@dataclass(frozen=True)
class District:
    """A current city district (区) with its six-digit code and the year it was created."""

    code: str
    province: str
    city: str
    district: str
    since: int

    @property
    def is_municipality(self) -> bool:
        """True for districts of 北京, 天津, 上海, 重庆 (city = province)."""
        return self.code[:2] in MUNICIPALITY_CODES

    @property
    def city_and_district(self) -> str:
        """The place as written on documents, e.g. 广州市天河区 or 北京市海淀区."""
        return f"{self.city}{self.district}"


def _current_name(raw: str) -> tuple[str, int] | None:
    """The name still in use and its start year, or None when the code was retired."""
    for part in raw.split(","):
        match = _PART.match(part)
        if match and not match["end"]:
            return match["name"], int(match["start"] or 0)
    return None


def _read_table() -> list[tuple[str, str, str]]:
    """(province code, county code or "" for the province line, raw name) rows of loc.dat."""
    text = resources.files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    rows: list[tuple[str, str, str]] = []
    province = ""
    for line in text.splitlines():
        if top := _PROVINCE_LINE.match(line):
            province = top["code"]
            rows.append((province, "", top["name"]))
        elif (county := _COUNTY_LINE.match(line)) and province:
            rows.append((province, county["code"], county["name"]))
    return rows


@lru_cache(maxsize=1)
def province_names() -> dict[str, str]:
    """Two-digit code → full official province name, for the 31 mainland provinces."""
    return {code: name for code, county, name in _read_table() if not county and code < "70"}


@lru_cache(maxsize=1)
def all_districts() -> tuple[District, ...]:
    """Every current 区 of a prefecture-level 市 (or of a municipality)."""
    provinces = province_names()
    cities: dict[str, str] = {}
    districts: list[District] = []
    for province_code, county_code, raw in _read_table():
        if province_code not in provinces or county_code in ("", "0000"):
            continue
        current = _current_name(raw)
        if current is None:
            continue
        name, since = current
        prefecture = province_code + county_code[:2]
        if county_code.endswith("00"):
            cities[prefecture] = name
            continue
        city = (
            provinces[province_code]
            if province_code in MUNICIPALITY_CODES
            else cities.get(prefecture, "")
        )
        if city.endswith("市") and name.endswith("区") and name != "市辖区":
            code = province_code + county_code
            districts.append(District(code, provinces[province_code], city, name, since))
    return tuple(districts)


@lru_cache(maxsize=64)
def districts_of(province: str) -> tuple[District, ...]:
    """The current districts of one province (full official name)."""
    return tuple(d for d in all_districts() if d.province == province)


# Placeholder rows of the table, never a place a number was assigned in.
_PLACEHOLDERS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


def _in_use(raw: str, year: int) -> bool:
    """Whether any name of a table row was in use in `year` ("[1983-2005]东山区,[2005-]…")."""
    for part in raw.split(","):
        match = _PART.match(part)
        if match is None or match["name"] in _PLACEHOLDERS:
            continue
        start, end = int(match["start"] or 0), int(match["end"] or 9999)
        if start <= year <= end:
            return True
    return False


@lru_cache(maxsize=4096)
def county_codes_in_use(province: str, year: int) -> tuple[str, ...]:
    """Every county-level code (区, 县, 县级市, 旗 …) of the province in use in `year`,
    including codes abolished since (110103 崇文区 until 2010): where a number assigned that
    year could come from."""
    codes = [
        province_code + county_code
        for province_code, county_code, raw in _read_table()
        if province_names().get(province_code) == province
        and county_code
        and not county_code.endswith("00")
        and _in_use(raw, year)
    ]
    return tuple(codes)


def province_of_code(code: str) -> str:
    """The province of a division code by its first two digits (KeyError if unknown)."""
    return province_names()[code[:2]]


def provinces() -> list[str]:
    """The 31 mainland provinces, in code order."""
    return list(province_names().values())
