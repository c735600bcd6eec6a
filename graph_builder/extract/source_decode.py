"""A report file's bytes to text: which encoding it is in, and what the builder would refuse.

Chinese reports arrive in UTF-8 (with or without a byte-order mark), GB18030/GBK or Big5.
Decoding is strict, so a wrong guess fails instead of turning the text into mojibake
that a quote could never match. UTF-8 is tried first: non-ASCII bytes that decode as
UTF-8 are almost never anything else. Big5 bytes also decode as GB18030 (every Big5
pair is a valid GBK pair), so when both decode, charset-normalizer picks the one whose
characters read as language. Line ends become LF here, once; nothing else changes.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from graph_builder.errors import DataError
from graph_builder.ingest.reports import TEXT_FORBIDDEN, text_problem
from graph_builder.ingest.source_text import line_at

#: Byte-order marks, longest first, and the codec that drops them while decoding.
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: The Chinese legacy encodings tried, in order of preference when several decode.
CHINESE = ("gb18030", "big5", "big5hkscs")
#: Charset labels pages declare, as the codec that reads them (GB18030 is a superset of GBK
#: and GB2312, as in browsers).
LABELS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "x-gbk": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5",
    "big5-hkscs": "big5hkscs",
}
#: File signatures of formats people save instead of text, to name them in the error.
SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (.docx, .xlsx ...)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc, .xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "gzip-compressed data"),
)
BINARY_HINT = "give a text file or a saved HTML page"


@dataclass(frozen=True)
class Decoded:
    """A file's text with LF line ends, and the codec that read it (`gb18030`, `utf-8-sig` ...)."""

    text: str
    encoding: str


def decode(data: bytes, path: Path, declared: str | None = None) -> Decoded:
    """`data` as text; `declared` is the charset a page names, used when it reads the bytes."""
    encoding = bom_encoding(data)
    if encoding is None:
        check_not_binary(data, path)
        encoding = detect(data, path, declared)
    elif not reads(data, encoding):
        name = encoding.removesuffix("-sig").upper()
        raise DataError(path, None, f"cannot decode: starts with a {name} mark but is not {name}")
    text = normalise_line_ends(data.decode(encoding))
    check_characters(text, path)
    return Decoded(text, encoding)


def bom_encoding(data: bytes) -> str | None:
    """The codec a byte-order mark at the start names, if there is one."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding
    return None


def check_not_binary(data: bytes, path: Path) -> None:
    """Refuse a file no text encoding of ours produces: a known signature or a NUL byte."""
    for signature, what in SIGNATURES:
        if data.startswith(signature):
            raise DataError(path, None, f"not text: {what}; {BINARY_HINT}")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DataError(path, None, f"not text: a binary file (NUL byte at offset {nul})")


def detect(data: bytes, path: Path, declared: str | None) -> str:
    """The codec that reads `data` strictly: UTF-8, the declared one, or a Chinese one."""
    if reads(data, "utf-8"):
        return "utf-8"
    label = LABELS.get((declared or "").strip().lower())
    if label is not None and reads(data, label):
        return label
    candidates = [encoding for encoding in CHINESE if reads(data, encoding)]
    if not candidates:
        raise DataError(path, None, undecodable(data))
    if len(candidates) == 1:
        return candidates[0]
    best = from_bytes(data, cp_isolation=candidates).best()
    return candidates[0] if best is None else best.encoding


def reads(data: bytes, encoding: str) -> bool:
    """Whether `encoding` decodes every byte of `data`."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def undecodable(data: bytes) -> str:
    """Where UTF-8 fails, for a file no encoding of ours reads."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex()
        return (
            f"cannot decode: not UTF-8 (byte 0x{byte} on line {line}), GB18030 or Big5 text; "
            "save it as UTF-8"
        )
    return "cannot decode"  # unreachable: UTF-8 is tried before this is asked


def normalise_line_ends(text: str) -> str:
    """CR LF and lone CR become LF: the builder reads offsets in LF-only texts."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_characters(text: str, path: Path) -> None:
    """Refuse what the builder refuses in a report text, naming the line (a BOM mid-text,
    control characters); the same words as the builder's message."""
    found = TEXT_FORBIDDEN.search(text)
    if found is not None:
        index = found.start()
        raise DataError(path, line_at(text, index), text_problem(text, index))
