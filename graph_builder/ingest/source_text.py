"""Reading data files as exact text, and the characters no data file may carry.

Report texts are indexed by code point, so they are decoded exactly as stored
(no newline translation). Whatever reaches the graph must also survive RDF/XML,
GraphML and GEXF, and XML 1.0 cannot carry most control characters at all.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from graph_builder.errors import DataError

#: Control characters (C0 but TAB and LF, DEL, C1), lone surrogates and U+FFFE/U+FFFF:
#: XML 1.0 refuses them or discourages them, and no report has a use for them.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

NAMES = {"\r": "carriage return", "\x00": "NUL", "\x7f": "DEL"}


def read_utf8(path: Path) -> str:
    """The file's exact content as UTF-8 text; bytes that are not UTF-8 name their line.

    OSError propagates: callers say which file they expected and why.
    """
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise DataError(path, line, f"not UTF-8 text (byte 0x{byte}); save it as UTF-8") from exc


def line_at(text: str, index: int) -> int:
    """The 1-based line of `text` that holds code point `index`."""
    return text.count("\n", 0, index) + 1


def describe(char: str) -> str:
    """`control character U+0001`, named where people know it by name (`... (NUL)`)."""
    kind = "control character" if unicodedata.category(char) == "Cc" else "character"
    name = f" ({NAMES[char]})" if char in NAMES else ""
    return f"{kind} U+{ord(char):04X}{name}"


def first_forbidden(text: str) -> re.Match[str] | None:
    """Where `text` holds a character no data file may carry, if anywhere."""
    return FORBIDDEN.search(text)
