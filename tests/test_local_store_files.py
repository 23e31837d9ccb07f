"""LocalStorage reads plain files only: a FIFO or a folder under a key is not an object."""

import os
from pathlib import Path

import pytest

from pipeline.errors import NotFoundError
from workers.local_store import LocalStorage


@pytest.mark.parametrize("make", [os.mkfifo, os.mkdir], ids=["fifo", "folder"])
@pytest.mark.timeout(10)
def test_special_files_are_not_objects(tmp_path: Path, make: object) -> None:
    storage = LocalStorage(tmp_path)
    storage.put("packets/a/form.json", b"{}", "application/json", {})
    folder = next(tmp_path.rglob("form.json")).parent
    make(folder / "odd")  # type: ignore[operator]
    with pytest.raises(NotFoundError, match="not a file"):
        storage.get("packets/a/odd", 100)
