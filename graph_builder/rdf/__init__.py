"""Stage 2, the model as RDF: namespaces, vocabulary, IRIs, the builder, formats, checks."""
