"""Documents named on the command line or found in a folder, read one by one, never raising."""

from pathlib import Path

from pipeline.document import read_document, unreadable
from pipeline.errors import BadInputError, DocumentError
from pipeline.fields.skim import reading_policy
from pipeline.ocr.base import OcrEngine
from pipeline.settings import Settings
from schemas import DocumentKind, DocumentResult

# The suffixes a folder's documents are picked by (the decoder itself trusts only the bytes).
DOCUMENT_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".gif", ".pdf")


def document_files(folder: Path) -> list[Path]:
    """The folder's images and PDFs, sorted by name; BadInputError when it is no folder."""
    if not folder.is_dir():
        raise BadInputError(f"{folder} is not a folder")
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES
    )


def read_file_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; DocumentError when it is missing, too large or cannot be opened."""
    try:
        if not path.is_file():
            raise DocumentError(f"{path} is not a file")
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(f"{path} is {size} bytes; the limit is {max_bytes}")
        return path.read_bytes()
    except OSError as error:
        raise DocumentError(f"{path} cannot be read ({error.strerror or error})") from error


def read_file(
    path: Path, declared: DocumentKind | None, engine: OcrEngine, settings: Settings
) -> DocumentResult:
    """The reading of one file, status UNREADABLE with the reason when it cannot be read."""
    try:
        data = read_file_bytes(path, settings.max_file_bytes)
    except DocumentError as error:
        return unreadable(path.name, declared, error.message, [])
    return read_document(
        data, path.name, declared, engine, settings, reading_policy(settings)
    ).result
