"""Which IRI a request path names, and which local path an IRI is served at.

The server's root stands for `base` (serve --base): `{base}id/institution/x` is served
at `/id/institution/x`. A path is accepted only in the shapes the minter writes
(graph_builder/rdf/iris.py: lowercase letters, digits and single hyphens), so no
request text but those characters ever reaches a query; anything else is a 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph

from graph_builder.errors import UsageError
from graph_builder.rdf.namespaces import BASE

#: An id as the minter writes it (graph_builder/ingest/ids.py ID_PATTERN).
ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
#: /id/<namespace>/<id>, /id/dataset, /vocab/<id>, /ontology.
PATH = re.compile(rf"/(?:id/[a-z]+/{ID}|id/dataset|vocab/{ID}|ontology)")
ONTOLOGY_PATH = "/ontology"


@dataclass(frozen=True)
class Resolver:
    """Maps request paths to IRIs under `base` and back."""

    base: str = BASE

    def iri(self, path: str) -> str | None:
        """The IRI `path` names, or None when it is not a path the minter could write."""
        if not PATH.fullmatch(path):
            return None
        return self.base + path[1:]

    @property
    def ontology(self) -> str:
        return self.base + ONTOLOGY_PATH[1:]

    def local(self, iri: str) -> str | None:
        """The local path (with any #fragment) an IRI under the base is served at."""
        if not iri.startswith(self.base):
            return None
        rest = iri[len(self.base) :]
        path = rest.partition("#")[0]
        if not PATH.fullmatch("/" + path):
            return None
        return "/" + rest

    def href(self, iri: str) -> str:
        """Where a page links an IRI: its local page, else the IRI itself."""
        return self.local(iri) or iri


def base_iri(value: str) -> str:
    """`serve --base`: an absolute IRI ending in `/`, the prefix the server's root stands
    for; anything else is a usage error (one line, exit 2)."""
    if not value.endswith("/"):
        value += "/"
    if ":" not in value.split("/", 1)[0]:
        raise UsageError(f"--base: not an absolute IRI: {value!r} (give a scheme, https://...)")
    if not is_iri(value):
        raise UsageError(f"--base: not an absolute IRI: {value!r}")
    return value


def is_iri(value: str) -> bool:
    """Whether Oxigraph's IRI parser takes `value` (it raises on anything else)."""
    try:
        pyoxigraph.NamedNode(value)
    except ValueError:
        return False
    return True
