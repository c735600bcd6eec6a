"""The endpoint's result cache: whole serialized answers of the read-only graph, LRU,
bounded in bytes (`serve --cache-bytes`), as QLever keeps one.

It lives in the server process, not in the workers: one copy serves every worker's
answers, a hit is answered on the event loop without waiting for a free worker (so
warm requests stay fast while heavy queries hold every worker), and it survives the
workers, which are forked, killed on timeouts and memory overruns and replaced (a
per-worker cache would be lost with them and hold N copies of the same answers).
Single-threaded asyncio needs no lock.

An answer is keyed by everything it depends on: the query normalised from its lexer
tokens (comments and white space between tokens do not matter; see `normalised`),
the `$name=` bindings, the dataset parameters, the media type negotiation chose, the
base IRI (relative IRIs resolve against the endpoint's URL), `--max-rows` and the
graph's content hash, computed once at start-up from the loaded files' (or the
store's) bytes. The graph never changes while the server runs; a new build means a
new server, whose hash differs, so an old answer can never be served for new data.
Only complete successful answers (status 200) are stored; a truncated one is stored
too, since `--max-rows` is in its key and it carries its X-Result-Truncated header.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph_builder.sparql.lexer import Token, tokens

if TYPE_CHECKING:  # the command line imports this module for its default: keep it light
    from starlette.datastructures import Headers

#: Default of `serve --cache-bytes`.
DEFAULT_CACHE_BYTES = 256 * 2**20
#: What an entry costs beyond its body: the key, the entry object, the dict slot.
ENTRY_OVERHEAD = 256
#: Files of an Oxigraph (RocksDB) store that change without its data changing.
VOLATILE = ("LOCK", "LOG")
#: The response header saying where an answer came from.
HEADER = "X-Result-Cache"
HIT, MISS, BYPASS = "hit", "miss", "bypass"


@dataclass(frozen=True)
class Entry:
    body: bytes
    media_type: str
    rows: int
    truncated: bool

    @property
    def size(self) -> int:
        return len(self.body) + len(self.media_type) + ENTRY_OVERHEAD


def _glued(previous: Token | None, token: Token) -> bool:
    """Whether no white space between these two tokens is part of the meaning: `-1` is one
    literal where `- 1` is an operator and a number (and an error in a triple pattern);
    a language tag belongs to the string before it. Everywhere else the grammar allows
    white space between the terminals the lexer found, so it cannot matter."""
    if previous is None or previous.offset + len(previous.text) != token.offset:
        return False
    signed = previous.kind == "punct" and previous.text in "+-" and token.kind == "number"
    return signed or token.kind == "langtag"


def normalised(query: str) -> str:
    """The query's tokens, without comments and insignificant white space, as one string.

    Decided from the lexer's tokens, never from the raw text: a `#` inside an IRI or a
    string is not a comment, white space inside a string is kept. A query with `\\u`
    escapes is keyed by its raw text: the lexer applies them before reading tokens,
    as the grammar says, and a parser that differs there must not share an answer."""
    if "\\u" in query or "\\U" in query:
        return repr(("raw", query))
    parts: list[tuple[str, str, bool]] = []
    previous: Token | None = None
    for token in tokens(query):
        parts.append((token.kind, token.text, _glued(previous, token)))
        previous = token
    return repr(parts)  # one string per token list and back (repr of str and bool): a key


def content_hash(files: Iterable[tuple[str, str]], store: str | None, union: bool) -> str:
    """SHA-256 of the graph the workers load: each file's media type and bytes, or every
    file of the on-disk store, plus the union-default-graph setting (it changes what a
    query sees). About 0.1 s per 200 MB; computed once, while the workers load."""
    digest = hashlib.sha256(f"union={union}\n".encode())
    if store:
        root = Path(store)
        paths = sorted(
            p for p in root.rglob("*") if p.is_file() and not p.name.startswith(VOLATILE)
        )
        sources = [(str(p.relative_to(root)), p) for p in paths]
    else:
        sources = [(media_type, Path(path)) for path, media_type in files]
    for label, path in sources:
        digest.update(f"\n{label}\n".encode())
        with path.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


def cache_control_bypass(headers: Headers) -> tuple[bool, bool]:
    """(skip the lookup, also skip storing) for a request's Cache-Control / Pragma:
    `no-cache` asks for a fresh answer (which then refreshes the cache), `no-store`
    for one that is not kept either."""
    directives: set[str] = set()
    for name in ("cache-control", "pragma"):
        for value in headers.getlist(name):
            directives.update(d.split("=", 1)[0].strip().lower() for d in value.split(","))
    no_store = "no-store" in directives
    return no_store or "no-cache" in directives, no_store


class ResultCache:
    """Serialized answers by key, least recently used evicted first, at most `max_bytes`."""

    def __init__(self, max_bytes: int, graph: str = "") -> None:
        self.max_bytes = max_bytes
        self.graph = graph  # the content hash; set once the files are hashed
        self.entries: OrderedDict[bytes, Entry] = OrderedDict()
        self.bytes = 0
        self.hits = self.misses = self.bypasses = self.stores = self.evictions = 0
        self.too_large = 0  # answers over max_bytes on their own, never stored

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def key(
        self,
        query: str,
        bindings: dict[str, str],
        default_graph: list[str],
        named_graph: list[str],
        media_type: str,
        max_rows: int,
        base_iri: str,
    ) -> bytes:
        """A digest of everything the answer depends on (see the module's docstring)."""
        parts = [
            self.graph,
            normalised(query),
            sorted(bindings.items()),
            default_graph,
            named_graph,
            media_type,
            max_rows,
            base_iri,
        ]
        text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).digest()

    def get(self, key: bytes) -> Entry | None:
        """The stored answer, now the most recently used; counts a hit or a miss."""
        entry = self.entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: bytes, entry: Entry) -> bool:
        """Store an answer, evicting the least recently used ones to make room; an answer
        larger than the whole bound is not stored (it would evict everything)."""
        if not self.enabled:
            return False
        if entry.size > self.max_bytes:
            self.too_large += 1
            return False
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes -= old.size
        while self.entries and self.bytes + entry.size > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)
            self.bytes -= evicted.size
            self.evictions += 1
        self.entries[key] = entry
        self.bytes += entry.size
        self.stores += 1
        return True

    def clear(self) -> None:
        """Forget every answer (a server that reloads its graph calls this)."""
        self.entries.clear()
        self.bytes = 0

    def stats(self) -> dict[str, Any]:
        """What /api/cache reports."""
        return {
            "enabled": self.enabled,
            "max_bytes": self.max_bytes,
            "bytes": self.bytes,
            "entries": len(self.entries),
            "hits": self.hits,
            "misses": self.misses,
            "bypasses": self.bypasses,
            "stores": self.stores,
            "evictions": self.evictions,
            "too_large": self.too_large,
            "graph": self.graph,
        }
