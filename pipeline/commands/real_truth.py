"""The hand-made truth of real license images (tests/real/truth.jsonl, format in its README)."""

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from pipeline.errors import BadInputError

# Truth key → the DocumentFields attribute it is compared with.
SCORED_FIELDS = {
    "name": "name",
    "number": "number",
    "province": "province",
    "authority": "issuing_authority",
}


class Legibility(BaseModel):
    """Which fields could be read with certainty on the image; only those are counted."""

    name: bool = False
    number: bool = False
    province: bool = False
    authority: bool = False


class TruthRow(BaseModel):
    """One transcribed image (further keys such as number_kind and note are ignored)."""

    file: str
    name: str | None = None
    number: str | None = None
    province: str | None = None
    authority: str | None = None
    template: str = "unknown"
    capture: str = ""
    legible: Legibility = Legibility()

    @property
    def captures(self) -> list[str]:
        """The capture tags (a row counts under each)."""
        return [tag.strip() for tag in self.capture.split(",") if tag.strip()]

    def value(self, field: str) -> str | None:
        """The transcribed value of a scored field."""
        value: str | None = getattr(self, field)
        return value

    def is_legible(self, field: str) -> bool:
        """Whether a scored field counts: marked legible and transcribed."""
        return bool(getattr(self.legible, field)) and self.value(field) is not None


@dataclass(frozen=True)
class Truth:
    """The rows of a truth file by image name."""

    path: Path
    rows: dict[str, TruthRow]


def load_truth(path: Path) -> Truth:
    """Read a truth file (JSON lines); BadInputError naming the line when one is malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise BadInputError(f"{path} cannot be read ({error.strerror or error})") from error
    rows: dict[str, TruthRow] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = TruthRow.model_validate(json.loads(line))
        except (ValueError, ValidationError) as error:
            raise BadInputError(f"{path}:{number}: not a truth row ({error})") from error
        if row.file in rows:
            raise BadInputError(f"{path}:{number}: {row.file} is given twice")
        rows[row.file] = row
    return Truth(path, rows)
