"""What a person typed into a search box, made safe to show back and to search for. Shared by
the site search (``home``) and the catalogue and library filters (``courses``)."""

import unicodedata

SEARCH_MAX_QUERY_LENGTH = 200


def clean_query(raw: str) -> str:
    """What the person typed, fit to show back to them: no control characters (a NUL byte
    breaks PostgreSQL), single spaces, at most ``SEARCH_MAX_QUERY_LENGTH`` characters."""
    text = "".join(" " if unicodedata.category(c).startswith("C") else c for c in raw)
    return " ".join(text.split())[:SEARCH_MAX_QUERY_LENGTH].strip()


def search_terms(query: str) -> str:
    """The words to search for. Double quotes go: the SQLite full-text backend quotes each term
    without escaping them, so a stray quote is a syntax error rather than a phrase."""
    return " ".join(query.replace('"', " ").split())
