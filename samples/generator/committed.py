"""The committed sample set (samples/packets/): one packet per scenario, fixed seeds."""

import shutil
from dataclasses import dataclass
from pathlib import Path

from samples.generator.models import ExpectedPacket
from samples.generator.packets import generate_packet

PACKETS_DIR = Path(__file__).resolve().parent.parent / "packets"
COMMITTED_SEED = 2026


@dataclass(frozen=True)
class CommittedPacket:
    """One entry of the committed set."""

    number: int
    scenario: str
    capture_mode: str | None
    province: str

    @property
    def packet_id(self) -> str:
        """S01-clean_org and so on."""
        return f"S{self.number:02d}-{self.scenario}"


COMMITTED: tuple[CommittedPacket, ...] = (
    CommittedPacket(1, "clean_org", "scan", "北京市"),
    CommittedPacket(2, "clean_personal", "photo", "广东省"),
    CommittedPacket(3, "clean_both_sides_one_image", "scan", "浙江省"),
    CommittedPacket(4, "clean_pdf_text_layer", "scan", "上海市"),
    CommittedPacket(5, "clean_pdf_scanned", "photo", "四川省"),
    CommittedPacket(6, "name_mismatch", "rot90", "广西壮族自治区"),
    CommittedPacket(7, "principal_name_mismatch", "low_res", "江苏省"),
    CommittedPacket(8, "number_mismatch", "scan", "内蒙古自治区"),
    CommittedPacket(9, "invalid_number", "rot180", "湖北省"),
    CommittedPacket(10, "region_mismatch_org", "scan", "新疆维吾尔自治区"),
    CommittedPacket(11, "region_mismatch_personal", "rot270", "重庆市"),
    CommittedPacket(12, "expired_id", "low_res", "山东省"),
    CommittedPacket(13, "expired_license", "photo", "天津市"),
    CommittedPacket(14, "unreadable", "scan", "河南省"),
    CommittedPacket(15, "kind_mismatch", "photo", "宁夏回族自治区"),
    CommittedPacket(16, "missing_document", "hard", "福建省"),
    CommittedPacket(17, "low_quality", "scan", "西藏自治区"),
    CommittedPacket(18, "source_disagreement", "scan", "陕西省"),
    CommittedPacket(19, "seal_only_authority", "photo", "云南省"),
    CommittedPacket(20, "phone_format", "hard", "黑龙江省"),
    CommittedPacket(21, "form_invalid", None, "海南省"),
    CommittedPacket(22, "legacy_license", "scan", "江西省"),
    CommittedPacket(23, "legacy_license_uscc_form", "photo", "吉林省"),
    CommittedPacket(24, "name_typo", "scan", "湖南省"),
    CommittedPacket(25, "principal_name_typo", "photo", "安徽省"),
    CommittedPacket(26, "number_typo", "scan", "贵州省"),
    CommittedPacket(27, "electronic_license", "scan", "上海市"),
    CommittedPacket(28, "shangshi_license", "photo", "广东省"),
    CommittedPacket(29, "partnership_license", "scan", "浙江省"),
    CommittedPacket(30, "shifted_values", "scan", "河北省"),
)


def generate_committed(out_dir: Path = PACKETS_DIR) -> list[ExpectedPacket]:
    """Re-create every committed packet (each folder is replaced, others are left alone)."""
    results = []
    for entry in COMMITTED:
        folder = out_dir / entry.packet_id
        if folder.exists():
            shutil.rmtree(folder)
        results.append(
            generate_packet(
                out_dir,
                entry.scenario,
                entry.capture_mode,
                COMMITTED_SEED + entry.number,
                province=entry.province,
                packet_id=entry.packet_id,
            )
        )
    return results
