"""Stage 3, querying: triple stores, the query library, parameters and names, running SPARQL."""
