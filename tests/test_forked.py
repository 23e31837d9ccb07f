"""pipeline.decode.forked: work in a forked child; its answer or error back, capped."""

import os
import signal
import time

import numpy as np
import pytest

from pipeline.decode.forked import ChildCrashError, run_forked
from pipeline.errors import DocumentError, LimitExceededError


class Unpicklable(Exception):
    """An exception that cannot cross the pipe (it holds a lock)."""

    def __init__(self) -> None:
        super().__init__("holds a lock")
        self.lock = __import__("threading").Lock()


def raise_(error: BaseException) -> None:
    """Raise the error (for lambdas)."""
    raise error


def test_the_value_comes_back_from_another_process() -> None:
    parent = os.getpid()
    child, pages = run_forked(lambda: (os.getpid(), [b"x" * 3_000_000]), 5, 256, "the file")
    assert child != parent
    assert pages == [b"x" * 3_000_000]  # larger than a pipe buffer


def test_a_filing_check_error_is_raised_as_itself() -> None:
    with pytest.raises(DocumentError, match=r"^the PDF has no pages$"):
        run_forked(lambda: raise_(DocumentError("the PDF has no pages")), 5, 256, "the PDF")


def test_another_exception_keeps_its_type_and_the_child_traceback() -> None:
    with pytest.raises(ZeroDivisionError) as caught:
        run_forked(lambda: 1 / 0, 5, 256, "the PDF")
    assert "in the forked child" in caught.value.__notes__[0]
    assert "ZeroDivisionError" in caught.value.__notes__[0]


def test_an_exception_that_cannot_be_sent_is_described() -> None:
    with pytest.raises(ChildCrashError, match="Unpicklable: holds a lock"):
        run_forked(lambda: raise_(Unpicklable()), 5, 256, "the PDF")


def test_past_the_time_limit_the_child_is_killed() -> None:
    started = time.monotonic()
    with pytest.raises(LimitExceededError, match=r"reading the PDF took longer than 0\.5 s"):
        run_forked(lambda: time.sleep(30), 0.5, 256, "the PDF")
    assert time.monotonic() - started < 2


def test_a_child_killed_by_a_signal_is_a_document_error() -> None:
    with pytest.raises(DocumentError, match="stopped with signal SIGKILL"):
        run_forked(lambda: os.kill(os.getpid(), signal.SIGKILL), 5, 256, "the PDF")


def test_memory_past_the_cap_is_a_limit() -> None:
    with pytest.raises(LimitExceededError, match="needs more than 64 MB of memory"):
        run_forked(lambda: np.ones(200 << 20, np.uint8), 5, 64, "the PDF")


def test_an_image_is_sent_without_a_copy_so_it_may_use_most_of_the_cap() -> None:
    image = run_forked(lambda: np.ones((5000, 3000, 3), np.uint8), 5, 64, "the PDF")  # 45 MB
    assert image.shape == (5000, 3000, 3) and image.flags.writeable and int(image.min()) == 1
