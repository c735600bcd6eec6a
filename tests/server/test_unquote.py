"""protocol.unquote decodes in C what urllib's unquote_to_bytes decodes in Python: the
same bytes for every input, escapes or not, backslashes, lone and short '%'."""

from __future__ import annotations

from urllib.parse import quote_from_bytes, unquote_to_bytes

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph_builder.server.protocol import unquote

PIECES = st.sampled_from(
    [b"%", b"%4", b"%41", b"%e4%b8%ad", b"%zz", b"%5C", b"%5c", b"\\", b"\\x41", b"x", b"+", b"\\%"]
)


@pytest.mark.parametrize(
    "data",
    [b"", b"abc", b"%", b"a%", b"%4", b"%41", b"%zz", b"\\%41", b"%41\\x41", b"\\\\%5C", b"\\n%0A"],
)
def test_edge_cases_decode_as_urllib_does(data: bytes) -> None:
    assert unquote(data) == unquote_to_bytes(data)


@given(st.lists(st.one_of(PIECES, st.binary(max_size=8)), max_size=20).map(b"".join))
def test_any_bytes_decode_as_urllib_does(data: bytes) -> None:
    assert unquote(data) == unquote_to_bytes(data)


@given(st.binary(max_size=200))
def test_quoted_bytes_come_back(data: bytes) -> None:
    assert unquote(quote_from_bytes(data).encode()) == data
