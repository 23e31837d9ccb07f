"""One error family; each class says what went wrong and carries the CLI exit code."""


class FilingCheckError(Exception):
    """Base of every error the checker raises on purpose."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInputError(FilingCheckError):
    """The input cannot be used as given; retrying will not help."""

    exit_code = 2


class FormError(BadInputError):
    """form.json is missing, not JSON, or has invalid fields."""

    def __init__(self, message: str, fields: list[str] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or []


class DocumentError(BadInputError):
    """One document cannot be decoded or read (becomes DOCUMENT_UNREADABLE)."""


class LimitExceededError(DocumentError):
    """An input is over a configured limit (bytes, pixels, pages, time)."""


class UnsafePathError(BadInputError):
    """A file name escapes the packet folder (../, absolute path, link)."""


class EngineError(FilingCheckError):
    """The OCR engine could not be created or crashed on a document."""


class StorageError(FilingCheckError):
    """Object storage is unreachable or answered with an error; worth retrying."""

    exit_code = 3


class NotFoundError(BadInputError):
    """A packet or object that was asked for does not exist."""


class SettingsError(BadInputError):
    """A FILINGCHECK_* environment variable holds a value its setting does not accept."""


class MissingDependencyError(FilingCheckError):
    """A command needs a package that this installation does not have."""

    exit_code = 2
