"""The forgiving search's mechanism, on the built worker (run in Node by tests/search_worker.js) with generated cases:
the 두벌식 converters, 초성, the jamo distance, exact words never corrected, corrections found, and no noise."""

from __future__ import annotations

import json
import random
import re
import subprocess

import pytest

from conftest import LANGS, ROOT
from glossary import load_terms
from hangul import KEYBOARD, hangul_typo, ime_states, initials, keystrokes, latin_typo, typed_in_english_mode, typed_in_korean_mode
from search_index import location, term_names

HANGUL = re.compile(r"[\uac00-\ud7a3]")
RNG_SEED = 2026


def run_worker(site, lang: str, calls: list[dict]) -> list:
    """Answers `calls` with the built site's worker for `lang` (one Node process per batch)."""
    result = subprocess.run(["node", str(ROOT / "tests" / "search_worker.js"), str(site.dir), LANGS[lang].rstrip("/")],
                            input=json.dumps(calls), capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def random_words(rng: random.Random, count: int) -> list[str]:
    """Random Hangul words of 1-4 syllables (any syllable)."""
    return ["".join(chr(rng.randrange(0xAC00, 0xD7A4)) for _ in range(rng.randrange(1, 5))) for _ in range(count)]


def python_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, written here to check the worker's."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def names(lang: str) -> list[tuple[str, str]]:
    """(name, page) for every glossary name of this language's script."""
    return [(name, location(term["page"])[0]) for term in load_terms() for name in term_names(term)
            if bool(HANGUL.search(name)) == (lang == "ko")]


def test_keys_initials_and_both_layouts_match_an_independent_implementation(site):
    rng = random.Random(RNG_SEED)
    words = random_words(rng, 400) + [n for n, _ in names("ko") if re.fullmatch(r"[\uac00-\ud7a3 ]+", n)]
    latin = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(2, 9))) for _ in range(200)]
    calls = ([{"fn": "keys", "args": [w]} for w in words] + [{"fn": "initials", "args": [w]} for w in words]
             + [{"fn": "compose", "args": ["".join(keystrokes(w))]} for w in words if " " not in w]
             + [{"fn": "latinToHangul", "args": [typed_in_english_mode(part)]} for w in words for part in w.split()]
             + [{"fn": "hangulToLatin", "args": [typed_in_korean_mode(w)]} for w in latin])
    answers = iter(run_worker(site, "ko", calls))
    for w in words:
        assert next(answers) == "".join(keystrokes(w)), f"keys({w})"
    for w in words:
        assert next(answers) == initials(w), f"initials({w})"
    for w in [w for w in words if " " not in w]:
        assert next(answers) == ime_states(w)[-1], f"compose(keys of {w}) must be what an IME shows"
    for w in words:
        converted = next(answers) if " " not in w else " ".join(next(answers) for _ in w.split())
        assert converted == ime_states(w)[-1], f"latinToHangul({typed_in_english_mode(w)})"
    for w in latin:
        assert next(answers) == w, f"hangulToLatin({typed_in_korean_mode(w)})"
    assert len(KEYBOARD) == 33  # 19 consonant keys (with Shift) and 14 vowel keys


def test_jamo_distance_and_tolerance(site):
    rng = random.Random(RNG_SEED)
    pairs = []
    for _ in range(300):
        a = "".join(keystrokes("".join(random_words(rng, 1))))
        b = list(a)
        for _ in range(rng.randrange(0, 3)):  # a few random edits
            i = rng.randrange(len(b))
            kind = rng.randrange(4)
            if kind == 0:
                b[i] = rng.choice("ㄱㄴㄷㅏㅓㅗ")
            elif kind == 1 and len(b) > 1:
                del b[i]
            elif kind == 2:
                b.insert(i, rng.choice("ㄹㅁㅣ"))
            elif i + 1 < len(b):
                b[i], b[i + 1] = b[i + 1], b[i]
        pairs.append((a, "".join(b)))
    lengths = [("가" * n, "a" * n) for n in range(1, 16)]
    calls = ([{"fn": "distance", "args": [a, b]} for a, b in pairs] + [{"fn": "distance", "args": [b, a]} for a, b in pairs]
             + [{"fn": "tolerance", "args": [w]} for pair in lengths for w in pair])
    answers = run_worker(site, "ko", calls)
    forward, backward, tolerances = answers[:len(pairs)], answers[len(pairs):2 * len(pairs)], answers[2 * len(pairs):]
    for (a, b), d, e in zip(pairs, forward, backward, strict=True):
        assert d == e == python_distance(a, b), f"distance({a}, {b})"
    ko, en = tolerances[0::2], tolerances[1::2]
    assert ko == sorted(ko) and en == sorted(en), "tolerance grows with length"
    assert ko[0] == ko[1] == en[0] == en[3] == 0, "short words stay exact"
    assert ko[-1] >= 2 and en[-1] >= 2


@pytest.mark.parametrize("lang", LANGS)
def test_exact_names_are_never_corrected_and_rank_their_page_first(site, lang):
    cases = [(name, page) for name, page in names("ko") + names("en")]
    answers = run_worker(site, lang, [{"query": name} for name, _ in cases])
    for (name, page), answer in zip(cases, answers, strict=True):
        assert not answer["read"]["changed"] and answer["notice"] is None, f"{name!r} was corrected: {answer['read']}"
        assert answer["pages"][:1] == [page], f"{lang} {name!r}: {answer['pages'][:3]}"


@pytest.mark.parametrize("lang", LANGS)
def test_misspelt_and_mistyped_names_are_corrected_and_say_so(site, lang):
    """Generated: a keystroke wrong in a Korean name, a letter wrong in an English one, either typed in the wrong layout."""
    rng = random.Random(RNG_SEED)
    cases = []
    for name, page in names("ko"):
        joined = name.replace(" ", "")
        if len(joined) >= 3 and not re.search(r"[A-Za-z0-9]", name):
            typo = hangul_typo(joined, rng)
            if typo and typo != joined:
                cases.append((typo, page, "typo"))
        if not re.search(r"[A-Za-z0-9]", name):
            cases.append((typed_in_english_mode(name), page, "layout"))
    for name, page in names("en"):
        longest = max(name.split(), key=len)
        if len(longest) >= 6 and longest.isalpha():
            cases.append((name.replace(longest, latin_typo(longest.lower(), rng)), page, "typo"))
        if name.replace(" ", "").isalpha():
            cases.append((" ".join(typed_in_korean_mode(w.lower()) for w in name.split()), page, "layout"))
    answers = run_worker(site, lang, [{"query": q} for q, _, _ in cases])
    misses = [(q, kind, a["pages"][:3], page) for (q, page, kind), a in zip(cases, answers, strict=True)
              if page not in a["pages"][:3]]
    assert len(misses) <= len(cases) * 0.05, f"{len(misses)} of {len(cases)} missed: {misses[:10]}"
    for (q, _page, _kind), answer in zip(cases, answers, strict=True):
        if answer["read"]["changed"] and answer["pages"]:
            assert answer["notice"] == {"typed": q, "searched": answer["read"]["searched"]}


@pytest.mark.parametrize("lang", LANGS)
def test_random_strings_find_nothing(site, lang):
    """No noise: random syllable and letter strings of 3+ characters return no results, corrected or not."""
    rng = random.Random(RNG_SEED)
    text = (site.dir / LANGS[lang] / "search" / "search_index.json").read_text(encoding="utf-8").lower()
    queries = [w for w in random_words(rng, 300) if len(w) >= 3]
    queries += ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(5, 10))) for _ in range(150)]
    queries = [q for q in queries if q not in text]
    answers = run_worker(site, lang, [{"query": q} for q in queries])
    noisy = [(q, a["read"]["query"], a["pages"]) for q, a in zip(queries, answers, strict=True) if a["pages"]]
    assert not noisy, noisy[:10]


def test_question_words_are_not_required(site):
    """A question about a glossary term finds the page that explains it first."""
    cases = [(f"{term['ko']}{'는' if (ord(term['ko'][-1]) - 0xAC00) % 28 == 0 else '은'} 무엇인가요", "ko", term)
             for term in load_terms() if HANGUL.search(term["ko"][-1])]
    cases += [(f"what does {term['en']} do", "en", term) for term in load_terms()]
    for lang in LANGS:
        mine = [c for c in cases if c[1] == lang]
        answers = run_worker(site, lang, [{"query": q} for q, _, _ in mine])
        for (q, _, term), answer in zip(mine, answers, strict=True):
            assert location(term["page"])[0] in answer["pages"][:3], f"{q!r}: {answer['pages'][:3]}"


def test_initials_shared_by_several_names_rank_whole_names_first(site):
    """Generated from the glossary and the headings: a 초성 query ranks first the pages of the whole names (glossary names,
    page and section titles) with exactly those initials, before pages that merely contain a word with them."""
    index = json.loads((site.dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    things = [(name, location(term["page"])[0]) for term in load_terms() for name in term_names(term)]
    things += [(re.sub(r"<[^>]+>", "", doc["title"]), doc["location"].split("#")[0]) for doc in index["docs"]]
    named: dict[str, dict[str, set[str]]] = {}  # 초성 -> {name without spaces -> pages}
    for name, page in things:
        joined = re.sub(r"[\W_]+", "", name)
        if len(joined) >= 2 and re.fullmatch(r"[\uac00-\ud7a3]+", joined):
            named.setdefault(initials(joined), {}).setdefault(joined, set()).add(page)
    keys = sorted(named)
    answers = run_worker(site, "ko", [{"query": key} for key in keys])
    assert sum(len(named[key]) > 1 for key in keys) >= 3, "several names should share initials"
    for key, answer in zip(keys, answers, strict=True):
        pages = set().union(*named[key].values())
        assert answer["pages"][:1] and answer["pages"][0] in pages, f"{key}: {answer['pages'][:3]}, expected one of {pages}"
        if len(named[key]) <= 5:  # the worker searches five names per 초성 query
            assert set(answer["pages"][:len(pages)]) == pages, f"{key}: {answer['pages'][:len(pages)]}, expected {pages}"


@pytest.mark.parametrize("lang", LANGS)
def test_english_names_typed_without_spaces_or_hyphens_find_their_page(site, lang):
    """Generated: every English glossary name of several words typed run together, hyphens kept or dropped."""
    cases = {(form, page) for name, page in names("en") if re.search(r"[\s-]", name)
             for form in (name.replace(" ", ""), re.sub(r"[\s-]+", "", name))}
    cases = sorted(cases)
    answers = run_worker(site, lang, [{"query": q} for q, _ in cases])
    misses = [(q, a["pages"][:3]) for (q, page), a in zip(cases, answers, strict=True) if a["pages"][:1] != [page]]
    assert not misses, misses
