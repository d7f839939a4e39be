"""Simple commands in shell text, as a reader's shell would see them: comments dropped, continuation lines joined, the
commands inside $(…) found too, each split into words with its line number."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
PREFIXES = {"export", "time", "sudo", "command", "exec"}  # words that run or mark the command after them
SUBSTITUTION = "__SUBSTITUTION__"  # stands for a $(…) in the outer command once its inner commands are taken out


@dataclass(frozen=True)
class Command:
    line: int  # line of the page where the (joined) command starts
    words: list[str]  # the command's words, assignments and prefixes such as `export` removed
    assigns: tuple[str, ...]  # variables the command line assigns (NAME=… or export NAME)

    def __str__(self) -> str:
        return shlex.join(self.words)


def _strip_comment(line: str) -> str:
    """The line without its shell comment (a # at a word start, outside quotes)."""
    quote = None
    for position, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (position == 0 or line[position - 1] in " \t;|&("):
            return line[:position]
    return line


def logical_lines(text: str, first_line: int) -> list[tuple[int, str]]:
    """(line number, text) of each command line, with backslash-continued lines joined and comments dropped."""
    joined, buffer, start = [], "", None
    for number, raw in enumerate(text.splitlines(), first_line):
        line = _strip_comment(raw).rstrip()
        start = number if start is None else start
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        buffer += line
        if buffer.strip():
            joined.append((start, buffer))
        buffer, start = "", None
    if buffer.strip():
        joined.append((start, buffer))
    return joined


def _take_substitutions(text: str) -> tuple[str, list[str]]:
    """Replaces each $(…) outside single quotes with a placeholder; returns the outer text and the inner texts."""
    outer, inners, index, quote = [], [], 0, None
    while index < len(text):
        char = text[index]
        if quote == "'":
            quote = None if char == "'" else quote
        elif char == "\\":
            outer.append(text[index:index + 2])
            index += 2
            continue
        elif char == '"':
            quote = None if quote == '"' else '"'
        elif char == "'" and quote is None:
            quote = "'"
        elif text.startswith("$(", index) and not text.startswith("$((", index):
            depth, end, inner_quote = 1, index + 2, None
            while end < len(text) and depth:
                inner = text[end]
                if inner_quote:
                    inner_quote = None if inner == inner_quote else inner_quote
                elif inner in "'\"":
                    inner_quote = inner
                elif inner == "(":
                    depth += 1
                elif inner == ")":
                    depth -= 1
                end += 1
            inners.append(text[index + 2:end - 1])
            outer.append(SUBSTITUTION)
            index = end
            continue
        outer.append(char)
        index += 1
    return "".join(outer), inners


def _split_list(text: str) -> list[str]:
    """Splits a command line at |, ||, &&, ; and & outside quotes (a pipeline's or list's simple commands)."""
    parts, current, quote = [], [], None
    for char in text:
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "|&;":
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [part for part in parts if part.strip()]


def _commands(text: str, line: int) -> list[Command]:
    outer, inners = _take_substitutions(text)
    found = []
    for part in _split_list(outer):
        words = shlex.split(part)
        assigns = []
        while words and (ASSIGNMENT.match(words[0]) or words[0] in PREFIXES):
            word = words.pop(0)
            if ASSIGNMENT.match(word):
                assigns.append(word.split("=", 1)[0])
            elif word == "export":
                assigns += [w.split("=", 1)[0] for w in words if re.fullmatch(r"[A-Za-z_]\w*(=.*)?", w)]
                words = [w for w in words if not re.fullmatch(r"[A-Za-z_]\w*(=.*)?", w)]
        found.append(Command(line, words, tuple(assigns)))
    for inner in inners:
        found += _commands(inner, line)
    return found


def commands(text: str, first_line: int = 1) -> list[Command]:
    """Every simple command of a shell text, including those inside $(…), in order."""
    return [command for line, logical in logical_lines(text, first_line) for command in _commands(logical, line)]


def variables_used(text: str) -> set[str]:
    """Names of the shell variables a text expands ($NAME or ${NAME}), outside single quotes."""
    used, quote = set(), None
    for index, char in enumerate(text):
        if quote == "'":
            quote = None if char == "'" else quote
        elif char == "'" and quote is None:
            quote = "'"
        elif char == '"':
            quote = None if quote == '"' else '"'
        elif char == "$" and (match := re.match(r"\$\{?([A-Za-z_]\w*)", text[index:])):
            used.add(match[1])
    return used
