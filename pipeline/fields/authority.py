"""The registration authority (登记机关) of a license, often half hidden under the red seal."""

import re
from dataclasses import dataclass

from pipeline.fields.draft import Draft, Page
from pipeline.fields.labels import LabelHit, ValueRead, row_chain
from pipeline.fields.lines import Line, evidence, join_texts
from pipeline.standards.divisions import (
    PROVINCES,
    places_in,
    repair_district_name,
    short_province_name,
)
from pipeline.standards.text import normalize_text, strip_edge_noise, within_one_slip
from schemas import Box, FieldEvidence, TextSource

# What the text of a registration authority ends with.
AUTHORITY_ENDINGS = ("市场监督管理局", "工商行政管理局", "行政审批局", "市场监管局")
# The long standard bodies' names, repaired where OCR misread two of their characters.
LONG_BODIES = ("市场监督管理局", "工商行政管理局")
MAX_BODY_SLIPS = 2
# The market regulator's names, printed after a city's full name: 深圳市市场监督管理局.
MARKET_BODIES = ("市场监督管理局", "市场监管局")
# What any government body's name ends with (分局, 管理局, 审批服务局, 委员会 …).
BODY_ENDINGS = ("局", "委员会")
SHORT_PROVINCES = tuple(short_province_name(province) for province in PROVINCES)  # 江苏, 北京
MIN_AUTHORITY_LENGTH = 5  # a place of two characters, its suffix, a body of two (某某县某局)
_BRANCH = re.compile(r"([^局]{2})分局$")  # …管理局天河分局: the branch's district
_YEAR = re.compile(r"(?:19|20)\d{2}\D")
_DATE_ONLY = re.compile(r"[\d年月日.\-/至\s]*")  # a date (or a piece of one) and nothing else


def _authority_row(page: Page) -> list[Line] | None:
    """The lowest row that reads like a registration authority (for a label lost in the seal,
    or the name printed off the label's row)."""
    for line in reversed(page.lines):
        row = row_chain(line, page.lines, page.labels, leftmost=0)
        if _ends_like_authority(join_texts(row)):
            return row
    return None


def _ends_like_authority(text: str) -> bool:
    """Whether text ends like an authority, or like one and its district branch after it
    (深圳市市场监督管理局宝安分局)."""
    return authority_ending(text) is not None or authority_ending(_BRANCH.sub("", text)) is not None


def _clean_authority(text: str) -> tuple[str, str | None]:
    """The authority without a date after it; misread characters of its body's name repaired
    (one at its end, two inside a seven-character body: 市场京警管理局)."""
    match = _YEAR.search(text)
    text, body_note = _repair_body(strip_edge_noise(text[: match.start()] if match else text))
    found = authority_ending(text)
    if found is None or found[0] == found[1]:
        return text, body_note
    tail, ending = found
    return text[: -len(tail)] + ending, f"{tail}→{ending}"


def _repair_body(text: str) -> tuple[str, str | None]:
    """The text with a seven-character body's name (市场监督管理局, 工商行政管理局) repaired
    where OCR misread up to two of its middle characters — anywhere in the text, a branch
    (…宝安分局) may follow it; the note says what was read."""
    for body in LONG_BODIES:
        for start in range(len(text) - len(body) + 1):
            window = text[start : start + len(body)]
            if window != body and _misread_body(window, body):
                return text[:start] + body + text[start + len(body) :], f"{window}→{body}"
    return text, None


def _misread_body(window: str, body: str) -> bool:
    """Whether `window` is `body` with at most MAX_BODY_SLIPS characters misread, its first
    two and its last (市场…局, 工商…局) read right."""
    slips = sum(read != printed for read, printed in zip(window, body, strict=True))
    anchored = window[:2] == body[:2] and window[-1] == body[-1]
    return anchored and slips <= MAX_BODY_SLIPS


def authority_ending(text: str) -> tuple[str, str] | None:
    """(the tail as read, the fixed ending) when text ends with an ending or one slip of it."""
    for ending in AUTHORITY_ENDINGS:
        for tail in (text[-len(ending) :], text[-len(ending) + 1 :]):
            if len(text) > len(tail) and within_one_slip(tail, ending):
                return tail, ending
    return None


def _put_authority(draft: Draft, text: str, proof: FieldEvidence) -> bool:
    """Record a cleaned authority text; False (nothing recorded) when it is not a plausible
    authority's name, e.g. a few characters of the seal read around the label."""
    cleaned, repair = _clean_authority(text)
    restored = _with_city_suffix(cleaned)
    if not plausible_authority(restored):
        return False
    city_note = "补上城市名后漏读的「市」" if restored != cleaned else None
    notes = "；".join(part for part in (proof.note, repair, city_note) if part) or None
    draft.put("issuing_authority", restored, proof.model_copy(update={"note": notes}))
    return True


@dataclass(frozen=True)
class SealText:
    """The arc text of a round seal as read, with the seal's bounding box on its page."""

    text: str
    confidence: float
    box: Box
    page: int = 0


def plausible_authority(text: str) -> bool:
    """Whether text can be a registration authority's name: it ends like a government body
    and opens with a real GB/T 2260 division (a province, a city or a county; 江苏 for 江苏省,
    济南 for 济南市 too); 区市场监督管理局 or 市西夏区… (a fragment first) do not."""
    text = normalize_text(text)
    if len(text) < MIN_AUTHORITY_LENGTH or not text.endswith(BODY_ENDINGS):
        return False
    opens_with_short_name = text.startswith(SHORT_PROVINCES) or _short_city_at_start(text) > 0
    return _division_chain(text) > 0 or opens_with_short_name


def authority_form(text: str) -> str:
    """A reading in the form it would be recorded in: trailing date cut, one misread
    character of a standard ending or of a district name repaired (to merge near-twins)."""
    cleaned = _clean_authority(strip_edge_noise(normalize_text(text)))[0]
    return repair_district_name(_with_city_suffix(cleaned))[0]


def _with_city_suffix(text: str) -> str:
    """曲靖马龙区… → 曲靖市马龙区… when the 市 between a city and its district was lost, and
    深圳市场监督管理局 → 深圳市市场… when the recognizer merged 市市 into one 市 (CTC)."""
    merged = _merged_city_suffix(text)
    if merged:
        return text[:merged] + "市" + text[merged:]
    length = _short_city_at_start(text)
    if not length or _division_chain(text) > 0:
        return text
    restored = text[:length] + "市" + text[length:]
    return restored if _division_chain(restored) > length + 1 else text


def _merged_city_suffix(text: str) -> int:
    """The length of a city's name without its 市 when the market regulator's name follows
    it directly (深圳 of 深圳市场监督管理局: no authority is called so), or 0."""
    for length in (2, 3):
        city = text[:length] + "市"
        is_city = places_in(city) == [city] or city in PROVINCES  # 上海市 is a municipality
        if text[length:].startswith(MARKET_BODIES) and is_city:
            return length
    return 0


def _short_city_at_start(text: str) -> int:
    """The length of a city's name without its 市 opening text (济南 of 济南高新…), or 0."""
    for length in (2, 3):
        city = text[:length] + "市"
        if text[length : length + 1] != "市" and places_in(city) == [city]:
            return length
    return 0


def division_characters(text: str) -> int:
    """How many characters of an authority's name name real divisions: the leading chain
    (省, 市, 区/县 in order; 北京市海淀区… 6, 北京节海淀区… 0 — a misread place breaks it)
    plus a branch named after a district (…天河分局: 天河区)."""
    return _division_chain(normalize_text(text)) + _district_branch(normalize_text(text))


def _division_chain(text: str) -> int:
    """The length of the chain of division names (province, city, county) opening text."""
    end = next((len(name) for name in PROVINCES if text.startswith(name)), 0)
    for place in places_in(text[end:]):
        if not text.startswith(place, end):
            break
        end += len(place)
    return end


def _district_branch(text: str) -> int:
    """The length of a 分局's district name (天河 in …天河分局) when 天河区/县/市 is real."""
    match = _BRANCH.search(text)
    if match is None:
        return 0
    short = match.group(1)
    return len(short) if any(places_in(short + suffix) for suffix in "区县市") else 0


def seal_evidence(seal: SealText) -> FieldEvidence:
    """The evidence of an authority read from a seal's arc: the seal's box, a note saying so."""
    return FieldEvidence(
        text=seal.text,
        confidence=seal.confidence,
        box=seal.box,
        page=seal.page,
        source=TextSource.OCR,
        note="读自印章",
    )


def reads_like_authority(text: str) -> bool:
    """Whether text, a trailing date cut off, ends like a registration authority (a district
    branch after it included)."""
    return _ends_like_authority(_clean_authority(text)[0])


def read_authority(
    draft: Draft, page: Page, variants: tuple[str, ...], seal: SealText | None = None
) -> None:
    """登记机关: next to its label when that reads like an authority, else the lowest row that
    does (the label lost in the seal, or a seal fragment nearer the label than the name),
    else the seal's arc text when one was read, else whatever plausible name stands next to
    the label. Anything that is not a plausible authority's name is left unread."""
    found = page.value(variants)
    labelled = found if isinstance(found, ValueRead) else None
    if (
        labelled is not None
        and reads_like_authority(labelled.text)
        and _put_authority(draft, labelled.text, evidence(labelled.lines))
    ):
        return
    row = _authority_row(page)
    if row is not None and _put_authority(draft, join_texts(row), evidence(row, _row_note(found))):
        return
    if _put_as_labelled(draft, labelled):
        return
    wrapped = _wrapped_authority(page)
    if wrapped is not None and _put_authority(draft, join_texts(wrapped), evidence(wrapped)):
        return
    if seal is not None and _put_authority(draft, seal.text, seal_evidence(seal)):
        return
    reason = "未找到标签「登记机关」" if found is None else "登记机关仅在印章中或无法识别"
    draft.miss("issuing_authority", reason)


def _wrapped_authority(page: Page) -> list[Line] | None:
    """An authority printed over two lines (上海市奉贤 / 区市场监督管理局): the lowest line
    that ends like one but names no division, with the line right above it."""
    for line in reversed(page.lines):
        if authority_ending(line.text) is None or reads_plausibly(line.text):
            continue
        above = _line_above(line, page.lines)
        if above is not None and reads_plausibly(above.text + line.text):
            return [above, line]
    return None


def _line_above(line: Line, lines: list[Line]) -> Line | None:
    """The nearest line ending less than a line height above `line` and overlapping it."""
    candidates = [
        other
        for other in lines
        if other.page == line.page
        and other.bottom <= line.center_y
        and line.top - other.bottom < line.height
        and other.left < line.right
        and other.right > line.left
    ]
    return max(candidates, key=lambda other: other.bottom, default=None)


def reads_plausibly(text: str) -> bool:
    """Whether text, cleaned as it would be recorded, is a plausible authority's name."""
    return plausible_authority(_clean_authority(text)[0])


def _put_as_labelled(draft: Draft, labelled: ValueRead | None) -> bool:
    """Record the value next to the label as read, unless there is none or it is only a date."""
    if labelled is None or _DATE_ONLY.fullmatch(labelled.text):
        return False
    return _put_authority(draft, labelled.text, evidence(labelled.lines))


def _row_note(found: ValueRead | LabelHit | None) -> str:
    """Why the authority was taken from a row that reads like one instead of from its label."""
    if isinstance(found, ValueRead):
        return f"「登记机关」旁读到「{found.text}」，不像机关名称；按机关名称认出"
    if isinstance(found, LabelHit):
        return "「登记机关」标签旁未读到文字；按机关名称认出"
    return "未找到「登记机关」标签，按机关名称认出"
