"""The lexer keeps the tokens of short queries (the endpoint reads each text three
times a request) and reads long ones again each time, so the cache stays small."""

from __future__ import annotations

from graph_builder.sparql import lexer


def test_short_texts_are_read_once_and_long_ones_each_time() -> None:
    short = "SELECT ?s WHERE { ?s ?p 'x' } # a comment"
    long = "SELECT ?s WHERE { " + "?s ?p ?o . " * 2000 + "}"
    assert len(short) <= lexer.CACHED_TEXT < len(long)
    lexer._token_tuple.cache_clear()
    first, second = list(lexer.tokens(short)), list(lexer.tokens(short))
    assert first == second == list(lexer._scan(short))
    info = lexer._token_tuple.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    assert list(lexer.tokens(long)) == list(lexer._scan(long))
    assert lexer._token_tuple.cache_info().currsize == 1  # the long text was not kept


def test_tokens_read_as_the_grammar_says() -> None:
    kinds = [(t.kind, t.text) for t in lexer.tokens('ASK { <a> ?b "c"@en }')]
    assert kinds == [
        ("word", "ASK"),
        ("punct", "{"),
        ("iri", "<a>"),
        ("var", "?b"),
        ("string", '"c"'),
        ("langtag", "@en"),
        ("punct", "}"),
    ]
