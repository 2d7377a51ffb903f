"""Errors a user can cause, and the CLI's exit codes.

Exit codes (stable, documented in the README):

====  =====================================================================
0     success
1     the command ran but found a problem the user asked to fail on (e.g. ``eval --min-ari``)
2     usage error (bad option, missing argument)
3     input error: unreadable file, bad record (message names file and line)
4     output error: cannot write the output file
5     index error: missing, locked or incompatible index database
70    internal error (a bug: please report it; ``--debug`` shows the traceback)
130   interrupted (Ctrl-C)
====  =====================================================================
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_OUTPUT = 4
EXIT_INDEX = 5
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class DedupError(Exception):
    """Base of every error meant for the user: printed as one line, never as a traceback."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.source is None:
            return self.message
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


class UsageError(DedupError):
    exit_code = EXIT_USAGE


class InputError(DedupError):
    """A file or record that cannot be read. ``source`` and ``line`` say where."""

    exit_code = EXIT_INPUT


class OutputError(DedupError):
    exit_code = EXIT_OUTPUT


class IndexError_(DedupError):
    """Problems with the persistent index (named with a trailing underscore to keep the builtin)."""

    exit_code = EXIT_INDEX
