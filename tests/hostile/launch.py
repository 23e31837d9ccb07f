"""Run a command and write its exit status and peak RSS (wait4's ru_maxrss, KiB) to a file.

Usage: python launch.py REPORT_FILE COMMAND [ARG ...]

A forked child is charged with its parent's resident pages until it execs, so a command
started straight from a test process that holds PaddleOCR (1.4 GB) would report that as its
own peak. This launcher is a fresh, small interpreter: the command forked from it reports
what the command itself made resident."""

import os
import sys


def main() -> None:
    report, command = sys.argv[1], sys.argv[2:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    with open(report, "w", encoding="ascii") as out:
        out.write(f"{status} {usage.ru_maxrss}")


if __name__ == "__main__":
    main()
