"""Provinces from GB/T 2260 division codes and from address or authority texts.

Everything comes from python-stdnum's GB/T 2260 table (stdnum/cn/loc.dat); nothing is
hand-written except the rule that turns a full province name into its short form.
"""

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from stdnum import numdb

from pipeline.standards.text import normalize_text, within_one_slip

# Codes above 65 are Taiwan, Hong Kong and Macao: not among the 31 mainland divisions.
_LAST_MAINLAND_PREFIX = 65
_PROVINCE_SUFFIX = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|省|市)$")
# Names of placeholders in the table, never of a real place.
_GENERIC_NAMES = {"市辖区", "县", "市区", "郊区", "矿区", "城区", "东区", "西区", "南区", "北区"}
_YEARS_PREFIX = re.compile(r"^\[[0-9]*-[0-9]*\]")
# Suffixes of prefecture-level names whose short form may open a text ("杭州" for 杭州市).
_CITY_SUFFIX = re.compile(r"(市|地区|盟)$")
# What the name of a district or county-level division ends with.
_DISTRICT_ENDINGS = ("区", "县", "市", "旗")


def _table() -> Any:
    """stdnum's parsed GB/T 2260 database (prefix tree of province → county)."""
    return numdb.get("cn/loc")


@lru_cache(maxsize=1)
def _provinces_by_prefix() -> dict[str, str]:
    """The 31 mainland provinces keyed by the 2-digit prefix of their division codes."""
    provinces = {}
    for _length, low, _high, props, _children in _table().prefixes:
        if int(low) <= _LAST_MAINLAND_PREFIX and "province" in props:
            provinces[low] = props["province"]
    return provinces


def _all_province_names() -> tuple[str, ...]:
    """The 31 full official province names in code order."""
    return tuple(_provinces_by_prefix().values())


PROVINCES: tuple[str, ...] = _all_province_names()


def is_province(name: str) -> bool:
    """Whether `name` is exactly one of the 31 full official names."""
    return name in PROVINCES


def short_province_name(province: str) -> str:
    """The common short form: 北京市 → 北京, 广西壮族自治区 → 广西, 内蒙古自治区 → 内蒙古."""
    return _PROVINCE_SUFFIX.sub("", province)


def province_of_code(code: str) -> str | None:
    """The province a 6-digit GB/T 2260 code belongs to (by its first 2 digits)."""
    if len(code) < 2 or not code[:2].isdigit():
        return None
    return _provinces_by_prefix().get(code[:2])


def is_division_code(code: str) -> bool:
    """Whether a 6-digit code is in the GB/T 2260 table (current or historical)."""
    if len(code) != 6 or not code.isdigit() or province_of_code(code) is None:
        return False
    parts = _table().info(code)
    return len(parts) >= 2 and "county" in parts[1][1] and len(parts[1][0]) == 4


def _place_names(props: dict[str, str], current_only: bool = False) -> list[str]:
    """The real place names of one table entry (historical names too unless current_only)."""
    names = []
    for raw in props.get("county", "").split(","):
        years = _YEARS_PREFIX.match(raw)
        if current_only and years is not None and not years.group().endswith("-]"):
            continue
        name = _YEARS_PREFIX.sub("", raw).strip()
        if name and name not in _GENERIC_NAMES and "直辖" not in name:
            names.append(name)
    return names


def _entries() -> Iterator[tuple[str, str, dict[str, str]]]:
    """(province, 4-digit code below it, names) of every entry of the 31 mainland provinces."""
    for _length, low, _high, _props, children in _table().prefixes:
        province = _provinces_by_prefix().get(low)
        if province is None:
            continue
        for _child_length, child_low, _child_high, child_props, _grand in children:
            yield province, child_low, child_props


def _is_city_code(code: str) -> bool:
    """Whether a 4-digit code below a province is a prefecture-level entry (xx00, not 0000)."""
    return code.endswith("00") and code != "0000"


def _add(index: dict[str, set[str]], name: str, province: str) -> None:
    """Record that a place called `name` exists in `province`."""
    index.setdefault(name, set()).add(province)


@lru_cache(maxsize=2)
def _place_index(current_only: bool = False) -> dict[str, frozenset[str]]:
    """Every city and county name → the provinces that have (or had) a place of that name."""
    index: dict[str, set[str]] = {}
    for province, _code, names in _entries():
        for name in _place_names(names, current_only):
            if name != province:
                _add(index, name, province)
    return {name: frozenset(provinces) for name, provinces in index.items()}


@lru_cache(maxsize=2)
def _city_short_index(current_only: bool = False) -> dict[str, frozenset[str]]:
    """Short forms of prefecture-level names (杭州 for 杭州市), trusted only at a text's start."""
    index: dict[str, set[str]] = {}
    for province, code, names in _entries():
        if not _is_city_code(code):
            continue
        for name in _place_names(names, current_only):
            short = _CITY_SUFFIX.sub("", name)
            if short != name and len(short) >= 2:
                _add(index, short, province)
    return {name: frozenset(provinces) for name, provinces in index.items()}


@lru_cache(maxsize=1)
def _longest_place_name() -> int:
    """Length of the longest indexed place name."""
    return max(len(name) for name in _place_index())


def _provinces_named(place: str, short: bool = False) -> frozenset[str]:
    """The provinces with a place of that name now; else those that ever had one."""
    index = _city_short_index if short else _place_index
    return index(current_only=True).get(place) or index().get(place, frozenset())


def _place_at(text: str, start: int) -> str | None:
    """The longest indexed place name that begins at `start`."""
    for length in range(min(_longest_place_name(), len(text) - start), 1, -1):
        if text[start : start + length] in _place_index():
            return text[start : start + length]
    return None


def places_in(text: str) -> list[str]:
    """The city and county names a text mentions, in order (longest match at each place)."""
    normalized, found, start = normalize_text(text), [], 0
    while start < len(normalized):
        place = _place_at(normalized, start)
        if place is None:
            start += 1
        else:
            found.append(place)
            start += len(place)
    return found


def _province_at_start(text: str) -> str | None:
    """A full or short province name opening the text, unless a longer place name wins."""
    for province in PROVINCES:
        if text.startswith(province):
            return province
    for province in PROVINCES:
        short = short_province_name(province)
        if text.startswith(short):
            place = _place_at(text, 0)
            places = _provinces_named(place or "")
            if place and len(place) > len(short) and len(places) == 1 and province not in places:
                return next(iter(places))
            return province
    return None


def _short_city_at_start(text: str) -> str | None:
    """The longest short prefecture-level name (杭州 of 杭州市) the text opens with."""
    longest = min(len(text), 8)
    return next((text[:n] for n in range(longest, 1, -1) if text[:n] in _city_short_index()), None)


def _province_of_places(text: str) -> str | None:
    """The one province that every place named in the text (in order) agrees on."""
    candidates: frozenset[str] | None = None
    short = _short_city_at_start(text)
    if short is not None and _place_at(text, 0) is None:
        candidates = _provinces_named(short, short=True)
    start = 0
    while start < len(text) and (candidates is None or len(candidates) != 1):
        place = _place_at(text, start)
        if place is None:
            start += 1
            continue
        provinces = _provinces_named(place)
        candidates = provinces if candidates is None else candidates & provinces
        if not candidates:
            return None
        start += len(place)
    if candidates is not None and len(candidates) == 1:
        return next(iter(candidates))
    return None


@lru_cache(maxsize=2)
def _districts_by_city(current_only: bool = False) -> dict[str, frozenset[str]]:
    """Prefecture-level city (or municipality) name → its district and county names."""
    cities = {
        (province, code[:2]): _place_names(names)
        for province, code, names in _entries()
        if _is_city_code(code)
    }
    index: dict[str, set[str]] = {}
    for province, code, names in _entries():
        if code.endswith("00"):
            continue
        for owner in [*cities.get((province, code[:2]), []), province]:
            index.setdefault(owner, set()).update(_place_names(names, current_only))
    return {city: frozenset(names) for city, names in index.items()}


@lru_cache(maxsize=1)
def _longest_district_name() -> int:
    """Characters in the longest district or county name (积石山保安族东乡族撒拉族自治县: 15)."""
    return max(len(name) for names in _districts_by_city().values() for name in names)


def _city_at(text: str, start: int) -> str | None:
    """The longest city (or municipality) name that begins at `start`."""
    for length in range(min(12, len(text) - start), 1, -1):
        if text[start : start + length] in _districts_by_city():
            return text[start : start + length]
    return None


def repair_district_name(text: str) -> tuple[str, str | None]:
    """Fix one misread or dropped character in the district after a city (海口市力华区 → 龙华区).

    Only when the name read is not a district of that city and exactly one of its districts
    is one character away; returns the text and a note saying what changed (or None).
    """
    normalized = normalize_text(text)
    start = next((len(p) for p in PROVINCES if normalized.startswith(p)), 0)
    city = _city_at(normalized, start) or (normalized[:start] if start else None)
    if city is None or city not in _districts_by_city():
        return text, None
    after = start + len(city) if normalized.startswith(city, start) else start
    districts = _districts_by_city()[city]
    if any(normalized.startswith(name, after) for name in districts):
        return text, None
    fixes = {
        (token, name)
        for length in range(2, _longest_district_name() + 2)  # one extra: a character read twice
        if (token := normalized[after : after + length])[-1:] in _DISTRICT_ENDINGS
        for name in districts
        if within_one_slip(token, name)
    }
    if len(fixes) > 1:
        current = _districts_by_city(current_only=True).get(city, frozenset())
        fixes = {(token, name) for token, name in fixes if name in current}
    if len(fixes) != 1:
        return text, None
    token, name = fixes.pop()
    repaired = normalized[:after] + name + normalized[after + len(token) :]
    return repaired, f"区县名 {token}→{name}（依 GB/T 2260 中{city}的区县）"


# A pilot free trade zone names its province in brackets: 中国(上海)自由贸易试验区….
_FREE_TRADE_ZONE = re.compile(r"^中国\(([^()]{2,8})\)")


def province_of_text(text: str) -> str | None:
    """The province an address or authority text is in; None when absent or ambiguous."""
    normalized = _FREE_TRADE_ZONE.sub(r"\1", normalize_text(text))
    if not normalized:
        return None
    return _province_at_start(normalized) or _province_of_places(normalized)


def province_of_name(name: str) -> str | None:
    """The province of the division an entity's name opens with (山西…, 台州市…, 杭州…); None
    when it opens with none, or one several provinces have. A name must carry its registering
    authority's division, but a branch's (…北京分公司) may open with its company's: the
    caller leaves branches out (pipeline.standards.entities)."""
    text = normalize_text(name)
    if not text:
        return None
    province = _province_at_start(text)
    if province is not None:
        return province
    place = _place_at(text, 0)
    short = None if place is not None else _short_city_at_start(text)
    provinces = _provinces_named(place) if place else _provinces_named(short or "", short=True)
    return next(iter(provinces)) if len(provinces) == 1 else None
