"""Hangul for the search tests and benchmark, written apart from the worker's own code (search-korean.js) so that one
bug cannot pass both: syllables <-> 두벌식 keystrokes, the IME's in-between states, 초성, and the Latin keys."""

from __future__ import annotations

import random

LEADS = list("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")
VOWELS = list("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ")
TAILS = [""] + list("ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
# Compound jamo and the two keys that type them.
PAIRS = {"ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ", "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ",
         "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ", "ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ",
         "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ"}
# The 두벌식 keyboard: Latin key -> jamo (Shift gives ㄲ ㄸ ㅃ ㅆ ㅉ ㅒ ㅖ).
KEYBOARD = dict(zip("rRseEfaqQtTdwWczxvgkoiOjpuPhynbml", "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎㅏㅐㅑㅒㅓㅔㅕㅖㅗㅛㅜㅠㅡㅣ", strict=True))
LATIN = {jamo: key for key, jamo in KEYBOARD.items()}


def is_syllable(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def parts(ch: str) -> tuple[int, int, int]:
    """(lead, vowel, tail) indexes of a syllable."""
    n = ord(ch) - 0xAC00
    return n // 588, n // 28 % 21, n % 28


def syllable(lead: int, vowel: int, tail: int = 0) -> str:
    return chr(0xAC00 + lead * 588 + vowel * 28 + tail)


def keystrokes(text: str) -> list[str]:
    """The keys a 두벌식 typist presses for `text` (other characters are one key each)."""
    out = []
    for ch in text:
        if is_syllable(ch):
            lead, vowel, tail = parts(ch)
            for jamo in (LEADS[lead], VOWELS[vowel], TAILS[tail]):
                out += list(PAIRS.get(jamo, jamo))
        else:
            out += list(PAIRS.get(ch, ch))
    return [k for k in out if k]


def ime_states(text: str) -> list[str]:
    """What the box shows after each key while an IME composes `text`: 가용 -> ㄱ 가 강 가요 가용."""
    states, done, cur = [], "", None  # cur: [lead, vowel, tail] jamo strings of the syllable being composed
    pair_of = {v: k for k, v in PAIRS.items()}

    def show(c):
        if c is None:
            return ""
        lead, vowel, tail = c
        if lead and vowel:
            return syllable(LEADS.index(lead), VOWELS.index(vowel), TAILS.index(tail))
        return lead or vowel

    for key in keystrokes(text):
        if key not in VOWELS and key not in LEADS:  # space, Latin, digits: commit
            done += show(cur) + key
            cur = None
        elif key in VOWELS:
            if cur and cur[0] and not cur[1]:
                cur[1] = key
            elif cur and cur[1] and not cur[2] and (cur[1] + key) in pair_of:
                cur[1] = pair_of[cur[1] + key]
            elif cur and cur[2]:  # the tail moves to start the next syllable
                tail = cur[2]
                keep, move = (PAIRS[tail][0], PAIRS[tail][1]) if tail in PAIRS else ("", tail)
                cur[2] = keep
                done += show(cur)
                cur = [move, key, ""]
            else:
                done += show(cur)
                cur = ["", key, ""]
        else:  # consonant
            if cur and cur[0] and cur[1] and not cur[2] and key in TAILS:
                cur[2] = key
            elif cur and cur[2] and (cur[2] + key) in pair_of and pair_of[cur[2] + key] in TAILS:
                cur[2] = pair_of[cur[2] + key]
            else:
                done += show(cur)
                cur = [key, "", ""]
        states.append(done + show(cur))
    return states


def initials(text: str) -> str:
    return "".join(LEADS[parts(ch)[0]] for ch in text if is_syllable(ch))


def typed_in_english_mode(text: str) -> str:
    """The Latin letters typed when the keyboard is left in English mode: 람다 -> fkaek, 계 -> rP."""
    return "".join(LATIN.get(k, k) for k in keystrokes(text))


def typed_in_korean_mode(word: str) -> str:
    """What an English word becomes when typed in Korean mode: lambda -> ㅣ므ㅠㅇㅁ."""
    keys = [KEYBOARD.get(ch, KEYBOARD.get(ch.lower(), ch)) for ch in word]
    return ime_states("".join(keys))[-1] if keys else ""


SIMPLE_VOWELS = [v for v in VOWELS if v not in PAIRS]
SIMPLE_TAILS = [t for t in TAILS if t and t not in PAIRS]


def hangul_typo(word: str, rng: random.Random) -> str | None:
    """One keystroke wrong in one syllable: another vowel, another or no final consonant, or a final added."""
    spots = [i for i, ch in enumerate(word) if is_syllable(ch)]
    if not spots:
        return None
    i = rng.choice(spots)
    lead, vowel, tail = parts(word[i])
    options = []
    if VOWELS[vowel] in SIMPLE_VOWELS:
        options += [syllable(lead, VOWELS.index(v), tail) for v in SIMPLE_VOWELS if v != VOWELS[vowel]]
    if TAILS[tail] in SIMPLE_TAILS:
        options += [syllable(lead, vowel, 0)] + [syllable(lead, vowel, TAILS.index(t)) for t in SIMPLE_TAILS if t != TAILS[tail]]
    if not tail:
        options += [syllable(lead, vowel, TAILS.index(t)) for t in SIMPLE_TAILS]
    return word[:i] + rng.choice(options) + word[i + 1:] if options else None


def latin_typo(word: str, rng: random.Random) -> str:
    """One Damerau-Levenshtein edit: substitution, deletion, insertion or transposition of letters."""
    i = rng.randrange(1, len(word) - 1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    kind = rng.choice(["sub", "del", "ins", "swap"])
    if kind == "sub":
        return word[:i] + rng.choice(letters.replace(word[i], "")) + word[i + 1:]
    if kind == "del":
        return word[:i] + word[i + 1:]
    if kind == "ins":
        return word[:i] + rng.choice(letters) + word[i:]
    return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:] if word[i] != word[i - 1] else word[:i] + word[i + 1:]
