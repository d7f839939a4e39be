"""The URL contract: every committed page and heading/term id exists in both languages, and nothing else appeared unrecorded."""

from conftest import CONTRACT
from site_checks import contract_problems


def test_built_site_matches_the_url_contract(site):
    assert contract_problems(site.dir, CONTRACT) == []


def test_every_glossary_term_has_an_anchor_in_both_languages(site):
    from glossary import load_terms

    ids = set(CONTRACT["pages"]["glossary/"])
    assert {t["id"] for t in load_terms()} <= ids
