"""Write the JSON Schema of every model that crosses a boundary to schemas/json/.

python -m schemas          # rewrite the files
python -m schemas --check  # exit 1 when a file is out of date
"""

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from schemas import DocumentResult, FilingForm, PacketReport

FOLDER = Path(__file__).resolve().parent / "json"
MODELS: dict[str, type[BaseModel]] = {
    "filing_form.schema.json": FilingForm,
    "document_result.schema.json": DocumentResult,
    "packet_report.schema.json": PacketReport,
}


def schema_text(model: type[BaseModel]) -> str:
    """The model's JSON Schema as the committed file holds it."""
    return json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    """Rewrite (or with --check, compare) the schema files."""
    stale = []
    for name, model in MODELS.items():
        path, text = FOLDER / name, schema_text(model)
        if "--check" in argv:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"out of date (run python -m schemas): {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
