"""Words that make an entity's name another entity's: a branch is registered where it
operates, not where the company whose name it carries is."""

# 上海某某有限公司北京分公司 is a Beijing entity; 某某证券北京营业部 too.
BRANCH_WORDS = (
    "分公司", "分店", "分部", "分厂", "分所", "分行", "分中心", "办事处", "营业部", "代表处",
)  # fmt: skip


def names_a_branch(text: str) -> bool:
    """Whether the text holds a word that makes it a branch's name."""
    return any(word in text for word in BRANCH_WORDS)
