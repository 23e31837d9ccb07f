"""The Shenzhen/Zhuhai 商事主体 license (副本), as those cities' commercial registration prints it.

Drawn from how the variant looks when applicants upload it: portrait, 营业执照 (副本) with the
统一社会信用代码 on one line under the title at the right, five letter-spaced rows (名称,
主体类型, 住所, the representative, 成立日期: no 注册资本, 营业期限 or 经营范围 — those are
published online), a dashed 重要提示 box of numbered 商事主体 notices, the QR code bottom left,
and 登记机关 with the seal and the date bottom right. The notices are this module's own text.
"""

from samples.generator.drawing import spaced_label
from samples.generator.models import Company

# Every label on the variant is justified to this many character widths (名　　　称).
LABEL_CHARS = 5
# The cities whose commercial registration prints this variant.
CITIES = ("深圳市", "珠海市")
NOTICE_TITLE = "重要提示"
NOTICES = (
    "1．商事主体的经营范围由章程确定。经营范围中属于法律、法规规定应当经批准的项目，"
    "取得许可审批文件后方可开展相关经营活动。",
    "2．商事主体经营范围和许可审批项目等有关事项及年报信息和其他信用信息，请登录商事主体"
    "登记及许可审批信用信息公示平台或扫描执照的二维码查询。",
    "3．商事主体应当于每年1月1日－6月30日向商事登记机关提交上一年度的年度报告。",
)
CREDIT = "中华人民共和国国家工商行政管理总局监制"


def shangshi_rows(company: Company) -> list[tuple[str, str]]:
    """(label, value) rows the variant prints, in order."""
    return [
        ("名称", company.name),
        ("主体类型", company.entity_type),
        ("住所" if company.form != "branch" else "营业场所", company.address),
        (company.representative_label, company.representative),
        ("成立日期", _cn_date(company)),
    ]


def _cn_date(company: Company) -> str:
    day = company.established
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def justified(label: str, chars: int = LABEL_CHARS) -> str:
    """The label spread over about `chars` widths (名　　　称, 主 体 类 型)."""
    return spaced_label(label, chars)
