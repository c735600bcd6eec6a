"""The graph on other triple stores: upload over the SPARQL 1.1 Graph Store HTTP Protocol
(`push`) and queries over the SPARQL 1.1 Protocol (`query --endpoint`).

`connection.py` is the HTTP side (credentials from the environment, retries, one line per
failure), `batches.py` turns a graph or a file into N-Triples batches, `graph_store.py`
uploads them and checks the count, `remote.py` sends queries and reads their answers.
"""
