"""Framing between the server and its query workers: a JSON header and a byte body.

Each message is two big-endian lengths, the header (UTF-8 JSON) and the body, so
a serialized result crosses the pipe as bytes without being re-encoded.
"""

from __future__ import annotations

import json
import struct
from typing import Any, BinaryIO

LENGTHS = struct.Struct(">II")


def pack(header: dict[str, Any], body: bytes = b"") -> bytes:
    head = json.dumps(header, ensure_ascii=False).encode("utf-8")
    return LENGTHS.pack(len(head), len(body)) + head + body


def unpack(head: bytes) -> dict[str, Any]:
    header: dict[str, Any] = json.loads(head.decode("utf-8"))
    return header


def read_message(stream: BinaryIO) -> tuple[dict[str, Any], bytes] | None:
    """The next message from a blocking stream, or None at end of input."""
    lengths = stream.read(LENGTHS.size)
    if len(lengths) < LENGTHS.size:
        return None
    head_size, body_size = LENGTHS.unpack(lengths)
    return unpack(stream.read(head_size)), stream.read(body_size)
