"""A packet read from the bucket: the PacketSource protocol over Storage."""

from pipeline.errors import DocumentError, FormError, LimitExceededError, NotFoundError
from pipeline.sources import FORM_NAME
from workers.layout import form_key, packet_file_key, packet_prefix, validate_packet_id
from workers.storage import Storage


class StoragePacketSource:
    """Read-only access to packets/<packet_id>/ in a bucket; StorageError propagates (retry)."""

    def __init__(self, storage: Storage, packet_id: str) -> None:
        self.storage = storage
        self.packet_id = validate_packet_id(packet_id)

    def describe(self) -> str:
        return f"{self.storage.describe()}/{packet_prefix(self.packet_id)}"

    def exists(self) -> bool:
        """Whether the packet's form.json is in the bucket (a packet exists once it is)."""
        try:
            self.storage.stat(form_key(self.packet_id))
        except NotFoundError:
            return False
        return True

    def read_form(self, max_bytes: int) -> bytes:
        try:
            return self.storage.get(form_key(self.packet_id), max_bytes)
        except NotFoundError as e:
            raise FormError(f"{self.describe()}: no {FORM_NAME}", [FORM_NAME]) from e
        except LimitExceededError as e:
            raise FormError(f"{self.describe()}{FORM_NAME}: {e.message}", [FORM_NAME]) from e

    def read_file(self, name: str, max_bytes: int) -> bytes:
        key = packet_file_key(self.packet_id, name)
        try:
            return self.storage.get(key, max_bytes)
        except NotFoundError as e:
            raise DocumentError(f"file {name!r} is not in the packet") from e
