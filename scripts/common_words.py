"""Writes data/common_words.{en,ko}.txt: the everyday words that search must never correct into a site word, from
wordfreq's top_n_list(lang, N) with N = 30,000 (for ko that is its whole list, 29,978 words). Kept: the words the worker
could correct at all, i.e. those it forgives an edit in (English: 5+ letters a-z; Korean: Hangul of 7+ keystrokes).
The index hook ships only those within correction distance of the site's own words. wordfreq is in the test lock;
tests/test_search_mechanism.py regenerates both files and compares. Run: .venv/bin/python scripts/common_words.py"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

from search_index import COMMON_WORDS, tolerance  # noqa: E402

TOP_N = 30_000
SCRIPT = {"en": re.compile(r"[a-z]+"), "ko": re.compile(r"[\uac00-\ud7a3]+")}


def common_words(lang: str) -> str:
    """The file's text for one language: a header naming the source, then one word a line, most frequent first."""
    from importlib.metadata import version

    import wordfreq

    words = [w for w in wordfreq.top_n_list(lang, TOP_N) if SCRIPT[lang].fullmatch(w) and tolerance(w)]
    header = (f"# wordfreq {version('wordfreq')} top_n_list({lang!r}, {TOP_N}), words the search worker forgives an edit in"
              " (scripts/common_words.py writes this file; do not edit)\n")
    return header + "".join(f"{w}\n" for w in dict.fromkeys(words))


if __name__ == "__main__":
    for lang, path in COMMON_WORDS.items():
        Path(path).write_text(common_words(lang), encoding="utf-8")
        print(path)
