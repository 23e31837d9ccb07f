"""Which documents an image holds, from the printed anchors OCR found."""

from pipeline.fields.labels import FUZZY_LABEL_LENGTH
from pipeline.fields.lines import Line
from schemas import DocumentKind

# Anchor text → weight. A kind is present when its anchors weigh at least PRESENT_SCORE.
ANCHORS: dict[DocumentKind, dict[str, int]] = {
    DocumentKind.BUSINESS_LICENSE: {
        "营业执照": 2, "统一社会信用代码": 2, "登记机关": 1, "注册资本": 1, "法定代表人": 1,
        "经营范围": 1, "成立日期": 1, "营业期限": 1, "住所": 1, "经营场所": 1, "注册日期": 1,
        "国家企业信用信息公示系统": 1, "市场主体应当": 1, "出资额": 1, "经营者": 1,
    },
    DocumentKind.ID_CARD_FRONT: {
        "公民身份号码": 2, "姓名": 1, "性别": 1, "民族": 1, "出生": 1, "住址": 1,
    },
    DocumentKind.ID_CARD_BACK: {
        "签发机关": 2, "有效期限": 2, "居民身份证": 1, "中华人民共和国": 1,
    },
}  # fmt: skip
PRESENT_SCORE = 2
# Order used when scores tie and the declared kind does not settle it.
KIND_ORDER = (DocumentKind.BUSINESS_LICENSE, DocumentKind.ID_CARD_FRONT, DocumentKind.ID_CARD_BACK)


def contains_anchor(text: str, anchor: str) -> bool:
    """Whether `text` holds `anchor`, with one misread character allowed in long anchors."""
    if anchor in text:
        return True
    if len(anchor) < FUZZY_LABEL_LENGTH:
        return False
    width = len(anchor)
    for start in range(len(text) - width + 1):
        window = text[start : start + width]
        if sum(1 for read, printed in zip(window, anchor, strict=True) if read != printed) <= 1:
            return True
    return False


def kind_scores(lines: list[Line]) -> dict[DocumentKind, int]:
    """The weight of the anchors of each kind found in the lines."""
    text = "\n".join(line.text for line in lines)
    return {
        kind: sum(weight for anchor, weight in anchors.items() if contains_anchor(text, anchor))
        for kind, anchors in ANCHORS.items()
    }


def detect_kinds(lines: list[Line], declared: DocumentKind | None) -> list[DocumentKind]:
    """Every kind present, the primary one first; the declared kind only breaks ties."""
    scores = kind_scores(lines)
    present = [kind for kind in KIND_ORDER if scores[kind] >= PRESENT_SCORE]

    def rank(kind: DocumentKind) -> tuple[int, int, int]:
        return (-scores[kind], 0 if kind == declared else 1, KIND_ORDER.index(kind))

    return sorted(present, key=rank)
