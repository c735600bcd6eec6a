"""Stage 0, new reports in: add a text or web page, propose candidate facts, review, accept.

`sources` reads a file or saved page into verbatim report text; `engine` proposes
`Candidate` facts from text alone; `linking` ties their names to the graph's entities and
writes them in the schema of data/facts (`candidates_file`); `accept` moves the accepted
ones into data/facts through the builder's own checks.
"""
