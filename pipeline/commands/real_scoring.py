"""Scores of real license readings: exact fields against a truth, and rates that need none."""

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from stdnum.iso7064 import mod_11_10

from pipeline.commands.figures import Tally
from pipeline.commands.real_truth import SCORED_FIELDS, TruthRow
from pipeline.standards.numbers import is_genuine_uscc
from pipeline.standards.text import normalize_text
from schemas import DocumentResult, DocumentStatus

# How registered entity names end (a name read to its end has one of these): 公司 covers
# 有限公司, 股份有限公司, 分公司; 部 经营部 / 销售部 / 经销部; 社 合作社; 行 商行; 所 事务所;
# 场 养殖场 / 农场; the rest are shops and workshops of 个体工商户 and institutions.
NAME_SUFFIXES = (
    "公司", "厂", "店", "部", "中心", "社", "所", "企业", "行", "场", "坊", "馆", "院", "室",
    "站", "园", "堂", "城", "铺", "吧", "队", "处",
)  # fmt: skip
# A legal form printed in brackets after the name: the suffix is looked for before it.
BRACKETED_FORM = re.compile(r"\((个体工商户|有限合伙|普通合伙|特殊普通合伙)\)$")
# Pieces of another field's label or value that no entity name contains (normalized text):
# a letter-spaced label's ends (名称 → 称), the next row's label (册资本 of 注册资本), the
# entity type glued to the name (自然人投资或控股).
LABEL_FRAGMENTS = (
    "名称", "类型", "住所", "册资本", "代表人", "负责人", "经营者", "经营场所", "营业场所",
    "成立日期", "注册日期", "营业期限", "经营范围", "信用代码", "注册号", "登记机关", "组成形式",
    "合伙人", "自然人投资", "自然人独资", "法人独资", "投资或控股",
)  # fmt: skip
LEADING_FRAGMENTS = ("称",)  # the last character of 名　　称, read as the value's first
REGISTRATION_LENGTH = 15  # a pre-2015 注册号 with its ISO 7064 MOD 11,10 check digit


def name_problem(name: str | None) -> str | None:
    """Why a read name is implausible (empty, label fragment, no entity suffix), or None."""
    text = normalize_text(name or "")
    if not text:
        return "empty"
    fragment = next((piece for piece in LABEL_FRAGMENTS if piece in text), None)
    if fragment is None and text.startswith(LEADING_FRAGMENTS):
        fragment = text[0]
    if fragment is not None:
        return f"label fragment {fragment}"
    if not BRACKETED_FORM.sub("", text).endswith(NAME_SUFFIXES):
        return "no entity-name suffix"
    return None


def number_check_valid(number: str | None) -> bool:
    """Whether a read number is a USCC passing GB 32100 or a 注册号 passing MOD 11,10."""
    text = normalize_text(number or "").upper()
    if len(text) == REGISTRATION_LENGTH and text.isdigit():
        return bool(mod_11_10.is_valid(text))
    return is_genuine_uscc(text)


@dataclass(frozen=True)
class FieldScore:
    """One field of one image: the truth (None without one), the reading and the verdict."""

    read: str | None
    truth: str | None = None
    legible: bool | None = None
    ok: bool | None = None  # None when the field does not count


@dataclass(frozen=True)
class ImageScore:
    """Everything the bench knows about one image, as written to --out."""

    file: str
    template: str | None
    captures: list[str]
    status: str
    error: str | None
    seconds: float
    fields: dict[str, FieldScore]
    number_valid: bool
    name_problem: str | None
    province_found: bool

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (name_plausible spelled out)."""
        return {**asdict(self), "name_plausible": self.name_problem is None}


def field_score(row: TruthRow | None, key: str, read: str | None) -> FieldScore:
    """Compare one reading with the truth (NFKC, white space removed) when it counts."""
    if row is None:
        return FieldScore(read)
    truth, legible = row.value(key), row.is_legible(key)
    ok = normalize_text(read or "") == normalize_text(truth or "") if legible else None
    return FieldScore(read, truth, legible, ok)


def score_image(result: DocumentResult, row: TruthRow | None, seconds: float) -> ImageScore:
    """The scores of one image's reading (truth row optional)."""
    values = result.fields
    scores = {
        key: field_score(row, key, getattr(values, attr)) for key, attr in SCORED_FIELDS.items()
    }
    return ImageScore(
        file=result.file,
        template=row.template if row else None,
        captures=row.captures if row else [],
        status=str(result.status),
        error=result.error,
        seconds=round(seconds, 3),
        fields=scores,
        number_valid=number_check_valid(values.number),
        name_problem=name_problem(values.name),
        province_found=bool(values.province),
    )


@dataclass
class GroupFigures:
    """The figures of one group of images (all, one template family or one capture tag)."""

    documents: int = 0
    unreadable: int = 0
    exact: dict[str, Tally] = field(default_factory=lambda: {key: Tally() for key in SCORED_FIELDS})
    number_valid: Tally = field(default_factory=Tally)
    name_plausible: Tally = field(default_factory=Tally)
    province_found: Tally = field(default_factory=Tally)
    seconds: list[float] = field(default_factory=list)

    def add(self, score: ImageScore) -> None:
        """Count one image."""
        self.documents += 1
        self.unreadable += score.status == str(DocumentStatus.UNREADABLE)
        for key, scored in score.fields.items():
            if scored.ok is not None:
                self.exact[key].add(scored.ok)
        self.number_valid.add(score.number_valid)
        self.name_plausible.add(score.name_problem is None)
        self.province_found.add(score.province_found)
        self.seconds.append(score.seconds)


def group_names(score: ImageScore) -> list[str]:
    """The groups an image counts in: all, its template family, each of its capture tags."""
    names = ["all"]
    if score.template is not None:
        names.append(f"template {score.template}")
    names += [f"capture {tag}" for tag in score.captures]
    return names


@dataclass
class RealResult:
    """The figures per group, in the order groups were first seen ("all" first)."""

    groups: dict[str, GroupFigures] = field(default_factory=dict)
    images: list[ImageScore] = field(default_factory=list)

    def add(self, score: ImageScore) -> None:
        """Count one image in every group it belongs to."""
        self.images.append(score)
        for name in group_names(score):
            self.groups.setdefault(name, GroupFigures()).add(score)
