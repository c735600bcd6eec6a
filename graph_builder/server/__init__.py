"""`hospital-kg serve`: a read-only SPARQL 1.1 Protocol endpoint and a query page.

The HTTP side (Starlette on uvicorn) never runs a query itself: queries go to a
pool of worker processes that each hold the graph in an in-memory Oxigraph store,
so a runaway query can be killed without stopping anyone else's.
"""
