"""Problems found in the inputs: collected, never raised one at a time.

Every stage appends to one Problems list so that a curator sees every problem at
once as `path:line: message`, the way compilers report errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class Problems(list):
    """A list of Problem with a convenience adder."""

    def add(self, path, line, message: str) -> None:
        # One problem, one line: messages quoting YAML or text never span lines.
        self.append(Problem(str(path), int(line or 0), " ".join(message.split())))

    def sorted(self) -> list[Problem]:
        return sorted(set(self))


def short(text: str, limit: int) -> str:
    """Text quoted in a message: each run of white space one space, and at most
    `limit` characters (cut with "…")."""
    text = _WHITESPACE.sub(" ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def not_utf8(data: bytes, exc: UnicodeDecodeError) -> tuple[int, str]:
    """Where bytes are not UTF-8, for a message: (line, "byte 0x.. at offset N")."""
    return data[: exc.start].count(b"\n") + 1, f"byte 0x{data[exc.start]:02x} at offset {exc.start}"


class BuildFailed(Exception):
    """Raised by a stage when the inputs have problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(set(problems))
