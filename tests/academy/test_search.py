"""What a person types into a search box, made fit to show back and to search for."""

import pytest

from academy.search import SEARCH_MAX_QUERY_LENGTH, clean_query, search_terms


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  pooled   budgets ", "pooled budgets"),
        ("pooled\x00budgets", "pooled budgets"),
        ("line\nbreak\ttab", "line break tab"),
        ("\u200bzero width", "zero width"),
        ("", ""),
    ],
)
def test_clean_query_drops_control_characters_and_extra_spaces(raw, cleaned):
    assert clean_query(raw) == cleaned


def test_clean_query_is_cut_to_the_longest_query_and_keeps_no_trailing_space():
    cleaned = clean_query("accessibility " * 500)

    assert len(cleaned) <= SEARCH_MAX_QUERY_LENGTH
    assert cleaned == cleaned.strip()
    assert cleaned.startswith("accessibility accessibility")


def test_search_terms_drop_double_quotes():
    assert search_terms('"pooled budgets" "') == "pooled budgets"
    assert search_terms("care's  plan") == "care's plan"
