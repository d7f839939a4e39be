"""Languages: per-language Markdown labels, the translation check, and the English site built into <site_dir>/en.

`mkdocs build` and `gh-deploy` write both languages into a temporary folder beside site_dir and move it into place only
when the whole build succeeded, so a failed build leaves the previous site as it was, never a half-built one; two
builds into the same site_dir queue on a lock file beside it.
"""

from __future__ import annotations

import errno
import fcntl
import glob
import logging
import os
import re
import shutil
import sys
import tempfile

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

log = logging.getLogger("mkdocs.hooks.languages")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENGLISH_CONFIG = os.path.join(ROOT, "mkdocs.en.yml")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
HEADING_ID = re.compile(r"\{[^}]*#([A-Za-z][\w-]*)[^}]*\}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
# The Korean build's final site_dir, the folder it is built in, and the lock (set in on_config when built aside).
_aside: dict = {"on": False}


def heading_ids(path: str) -> tuple[list[tuple[int, str]], list[str]]:
    """Returns ([(level, id)] of a Markdown file's headings, [problems]); every heading needs an explicit { #id }."""
    ids, problems, in_fence = [], [], False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if FENCE.match(line):
                in_fence = not in_fence
            match = None if in_fence else HEADING.match(line)
            if not match:
                continue
            found = HEADING_ID.search(match.group(2))
            if found:
                ids.append((len(match.group(1)), found.group(1)))
            else:
                problems.append(f"{os.path.relpath(path, ROOT)}:{number}: heading has no explicit id {{ #id }}: {line.strip()}")
    return ids, problems


def translation_problems(ko_dir: str, en_dir: str) -> list[str]:
    """Lists pages missing a twin, and headings without ids or whose ids differ between the two languages."""
    problems = []
    for folder, _, names in os.walk(ko_dir):
        if os.path.abspath(folder).startswith(os.path.abspath(en_dir)):
            continue
        for name in sorted(n for n in names if n.endswith(".md")):
            ko = os.path.join(folder, name)
            en = os.path.join(en_dir, os.path.relpath(ko, ko_dir))
            ko_ids, ko_problems = heading_ids(ko)
            problems += ko_problems
            if not os.path.exists(en):
                problems.append(f"{os.path.relpath(en, ROOT)}: missing English translation of {os.path.relpath(ko, ROOT)}")
                continue
            en_ids, en_problems = heading_ids(en)
            problems += en_problems
            if ko_ids != en_ids:
                only_ko = [i for i in ko_ids if i not in en_ids]
                only_en = [i for i in en_ids if i not in ko_ids]
                problems.append(
                    f"{os.path.relpath(en, ROOT)}: heading ids differ from {os.path.relpath(ko, ROOT)} "
                    f"(only in Korean: {only_ko or '-'}; only in English: {only_en or '-'}; or order/levels differ)"
                )
    return problems


def on_startup(command, dirty, **kwargs):
    """Builds aside for `mkdocs build` and `gh-deploy` (serve and --dirty builds keep writing in place)."""
    _aside["on"] = command in ("build", "gh-deploy") and not dirty
    if _aside["on"]:
        sys.excepthook = _one_line_for_a_full_or_read_only_disk


def _one_line_for_a_full_or_read_only_disk(kind, error, trace):
    """A site folder on a full or read-only disk ends the build with one line naming it, not a traceback."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        todo = "make it writable" if error.errno == errno.EROFS else "free some space on that disk"
        where = str(error.filename2 or error.filename or _aside.get("final") or "the site")  # a copy names its source first
        if _aside.get("building") and where.startswith(_aside["building"]):  # the file's place in the finished site
            where = _aside["final"] + where[len(_aside["building"]):]
        log.error("Cannot write %s: %s; %s, or build elsewhere with -d DIR", where, error.strerror, todo)
        return
    sys.__excepthook__(kind, error, trace)


def on_config(config, **kwargs):
    """Per-language settings that INHERIT cannot express (lists are replaced, not merged); the Korean build goes aside."""
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = config.extra["labels"]["permalink"]
    if config.extra.get("site_lang") == "ko" and _aside["on"]:
        _build_aside(config)
    return config


def _build_aside(config) -> None:
    """Takes the lock beside site_dir (waiting for another build into it) and points site_dir at a new folder beside it."""
    final = os.path.realpath(config.site_dir)
    parent, name = os.path.split(final)
    try:
        os.makedirs(parent, exist_ok=True)
        lock = open(os.path.join(parent, f".{name}.lock"), "a")  # noqa: SIM115  (held until the build ends)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("Another build is writing %s: waiting for it to finish", final)
            fcntl.flock(lock, fcntl.LOCK_EX)
        for stale in glob.glob(os.path.join(parent, f".{name}.building-*")):  # left by a build that was killed
            shutil.rmtree(stale, ignore_errors=True)
        building = tempfile.mkdtemp(dir=parent, prefix=f".{name}.building-")
    except OSError as error:
        raise PluginError(f"Cannot write the site beside {final}: {error.strerror}; build into a writable folder "
                          "with -d DIR") from None
    _aside.update(final=final, building=building, lock=lock)
    config.site_dir = building


def _move_into_place(config, **kwargs):
    """Last step of a successful Korean build: the finished site replaces site_dir (one rename)."""
    if config.extra.get("site_lang") != "ko" or "building" not in _aside:
        return
    if any(getattr(h, "get_counts", None) and h.get_counts() for h in logging.getLogger("mkdocs").handlers):
        return  # strict mode counted warnings: MkDocs aborts next, and on_build_error removes the folder
    final, building = _aside.pop("final"), _aside.pop("building")
    old = f"{building}.old"
    try:
        os.rename(final, old)
    except FileNotFoundError:
        old = None
    except OSError:  # site_dir cannot move (a mount point, say): empty it and move the new site's files in
        for child in os.listdir(final):
            path = os.path.join(final, child)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)
        for child in os.listdir(building):
            os.rename(os.path.join(building, child), os.path.join(final, child))
        os.rmdir(building)
        old = building = None
    if building:
        os.rename(building, final)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    config.site_dir = final  # gh-deploy publishes config.site_dir next
    log.info("Moved the finished site into %s", final)
    _release()


def _release() -> None:
    if lock := _aside.pop("lock", None):
        lock.close()


def on_build_error(error, **kwargs):
    """A failed build leaves site_dir as it was: the folder it was being built in goes."""
    if building := _aside.get("building"):
        shutil.rmtree(building, ignore_errors=True)
    _release()


def on_pre_build(config, **kwargs):
    """Fails the Korean build, naming the file, if a page lacks its translation or its heading ids differ."""
    if config.extra.get("site_lang") == "ko":
        problems = translation_problems(config.docs_dir, os.path.join(config.docs_dir, "en"))
        if problems:
            raise PluginError("Translation problems:\n  " + "\n  ".join(problems))


def _build_english(config, **kwargs):
    """After the Korean build, builds the English site into <site_dir>/en with site_url + "en/"."""
    if config.extra.get("site_lang") != "ko":
        return  # the English build inherits this hook: do not recurse
    english = load_config(
        ENGLISH_CONFIG,
        docs_dir=os.path.join(config.docs_dir, "en"),
        site_dir=os.path.join(config.site_dir, "en"),
        site_url=config.site_url.rstrip("/") + "/en/",
        strict=config.strict,
    )
    log.info("Building the English site into %s", english.site_dir)
    build(english)


# The English build runs first among the post-build steps (the packet, cards and patches need it), the move last.
on_post_build = CombinedEvent(_build_english, event_priority(-100)(_move_into_place))
