"""One error shape for every problem found in the data: file, line, message, snippet."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Issue:
    file: str
    line: int | None
    message: str
    snippet: str = ""
    hint: str = ""

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def format(self) -> str:
        out = f"{self.location()}: {self.message}"
        if self.hint:
            out += f"\n    hint: {self.hint}"
        if self.snippet:
            out += "\n" + "\n".join("    | " + s for s in self.snippet.splitlines())
        return out


@dataclass
class DataError(Exception):
    """Raised when the data cannot be loaded; carries every issue found in one run."""

    issues: list[Issue] = field(default_factory=list)
    inputs: Any = None  # inputs.Inputs: what the failed load read (live reload watches it for a fix)

    def __str__(self) -> str:  # pragma: no cover - formatting
        n = len(self.issues)
        head = f"{n} problem{'s' if n != 1 else ''} in the data:"
        return head + "\n" + "\n".join(i.format() for i in self.issues)


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as the user would type it: relative to the working directory if possible."""
    path = Path(path)
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return str(path.resolve().relative_to(Path(root).resolve()))
        except ValueError:
            continue
    return str(path)


def snippet_at(lines: list[str], line: int | None, context: int = 1) -> str:
    """A few lines of a file around `line` (1-based), numbered."""
    if not line or not lines:
        return ""
    lo = max(1, line - context)
    hi = min(len(lines), line + context)
    width = len(str(hi))
    out = []
    for n in range(lo, hi + 1):
        mark = ">" if n == line else " "
        text = lines[n - 1].rstrip()
        if len(text) > 200:  # a single enormous line (minified, or hostile) stays readable
            text = text[:200] + " [...]"
        out.append(f"{mark}{n:>{width}} {text}")
    return "\n".join(out)
