"""An entity name read with another field's text glued to its end, trimmed.

Boxes that run across columns or rows join the next label or the 类型 value to the name
(…有限公司有限责任公司(自然人独资), …有限公司体类型, …有限公册资本3000万元). No entity name
holds a license label, nor a legal form straight after its own suffix: the name ends there.
"""

import re

# Name endings after which a legal form is the 类型 value glued on, never the name's own end
# (not 行 or a bracket: 某某银行股份有限公司, 某某(北京)股份有限公司 are names).
NAME_ENDINGS = ("公司", "厂", "店", "部", "中心")
# A label's tail of this many characters is distinctive enough to cut at (册资本, 体类型);
# shorter ones (资本, 日期) occur in names.
MIN_TAIL = 3
# The fewest characters a name keeps before a cut.
MIN_NAME = 2
# Latin letters after a name's ending are watermark text read into its row (…有限公司SCJDGL on
# an electronic license): a name's own letters never follow its legal form.
TRAILING_LATIN = re.compile(r"[A-Za-z]{2,}$")


def label_fragments(labels: tuple[str, ...]) -> tuple[str, ...]:
    """Every label of two characters or more, and every tail of MIN_TAIL or more of one."""
    fragments = {label for label in labels if len(label) >= 2}
    fragments |= {
        label[start:] for label in labels for start in range(1, len(label) - MIN_TAIL + 1)
    }
    return tuple(sorted(fragments, key=len, reverse=True))


def trim_name(name: str, labels: tuple[str, ...], legal_forms: tuple[str, ...]) -> str:
    """`name` up to the first label fragment or the first legal form right after a name
    ending (…有限公司|有限责任公司(…)), with a label's last character between them
    (…有限公司|型有限责任公司) or alone at the end (…便利店|型); unchanged when nothing is
    glued to it."""
    cuts = [name.find(fragment, MIN_NAME) for fragment in label_fragments(labels)]
    lasts = tuple(label[-1] for label in labels)
    for index in range(MIN_NAME, len(name)):
        if not name[index:].startswith(legal_forms):
            continue
        if name[:index].endswith(NAME_ENDINGS):
            cuts.append(index)
        elif name[index - 1] in lasts and name[: index - 1].endswith(NAME_ENDINGS):
            cuts.append(index - 1)  # the 类型 label's tail came along: …有限公司型有限责任公司
    if name[-1:] in lasts and name[:-1].endswith(NAME_ENDINGS):
        cuts.append(len(name) - 1)  # the next label's last character alone: …便利店型
    latin = TRAILING_LATIN.search(name)
    if latin and name[: latin.start()].endswith(NAME_ENDINGS):
        cuts.append(latin.start())
    found = [cut for cut in cuts if cut >= MIN_NAME]
    return name[: min(found)] if found else name
