"""The committed JSON Schemas (schemas/json/) are the models' own."""

import pytest

from schemas.__main__ import FOLDER, MODELS, main, schema_text


@pytest.mark.parametrize("name", sorted(MODELS))
def test_the_committed_json_schema_matches_the_model(name: str) -> None:
    assert (FOLDER / name).read_text(encoding="utf-8") == schema_text(MODELS[name])


def test_the_report_schema_carries_the_comparisons_and_their_doubts() -> None:
    report = MODELS["packet_report.schema.json"].model_json_schema()
    comparison = report["$defs"]["FieldComparison"]["properties"]
    assert {"outcome", "margin", "doubts"} <= set(comparison)
    assert {"form_char", "document_char", "clear", "box"} <= set(
        report["$defs"]["CharacterDoubt"]["properties"]
    )


def test_check_mode_passes_on_the_committed_files() -> None:
    assert main(["--check"]) == 0
