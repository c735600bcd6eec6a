"""Linked Data: every IRI of the graph answered as a page (HTML) or as RDF.

paths (request path <-> IRI under --base), queries (the SPARQL), reader (the pool's
answers as graphs), texts (report texts and highlights), model (what a page shows),
ego (the network around an entity), render (Jinja2), routes (the handlers).
"""

from .routes import LinkedData, PageSettings

__all__ = ["LinkedData", "PageSettings"]
