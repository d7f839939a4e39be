"""Translation drift: English pages (docs/en/) whose Korean source (docs/) was committed after the English page last was.

Run `python scripts/translation_drift.py` to print the list; it exits 0 whatever it finds (`--strict`: exit 1 if any drift).
It reads git history only: uncommitted edits do not count, and a shallow clone or a missing git gives a note, not an error.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KO_DIR, EN_DIR = "docs", "docs/en"


@dataclass(frozen=True)
class Commit:
    sha: str
    time: int  # committer time, seconds since the epoch

    @property
    def date(self) -> str:
        return datetime.datetime.fromtimestamp(self.time, datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class Drift:
    english: str  # docs/en/… path
    korean: str  # docs/… path
    korean_commit: Commit
    english_commit: Commit
    korean_commits_since: int  # commits to the Korean page after the English page's last commit

    def __str__(self) -> str:
        since = f"{self.korean_commits_since} Korean commit(s) since" if self.korean_commits_since else "changed since"
        return (
            f"{self.english}: {self.korean} changed {self.korean_commit.date} ({self.korean_commit.sha[:8]}), "
            f"English last changed {self.english_commit.date} ({self.english_commit.sha[:8]}); {since}"
        )


@dataclass
class Report:
    drift: list[Drift]
    notes: list[str]  # why the report may be incomplete (no git, shallow history, uncommitted pages)

    def lines(self) -> list[str]:
        head = f"{len(self.drift)} English page(s) older than their Korean source" if self.drift else "No translation drift found"
        return [head + ":" if self.drift else head + ".", *(f"  {d}" for d in self.drift), *(f"note: {n}" for n in self.notes)]


def _git(root: Path, *args: str) -> str | None:
    """Runs git in `root`; None if git is missing or fails (not a repository, unknown revision…)."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _last_commit(root: Path, path: str) -> Commit | None:
    out = _git(root, "log", "-1", "--format=%H %ct", "--", path)
    if not out:
        return None
    sha, time = out.split()
    return Commit(sha, int(time))


def pairs(root: Path) -> list[tuple[str, str]]:
    """(English page, Korean source) for every Markdown page under docs/en/ that has a Korean twin."""
    en_dir = root / EN_DIR
    result = []
    for english in sorted(en_dir.rglob("*.md")):
        relative = english.relative_to(en_dir)
        korean = root / KO_DIR / relative
        if korean.exists():
            result.append((f"{EN_DIR}/{relative.as_posix()}", f"{KO_DIR}/{relative.as_posix()}"))
    return result


def find_drift(root: Path = ROOT) -> Report:
    """Compares, for each page, the last commit that touched the Korean file with the last one that touched the English file."""
    if _git(root, "rev-parse", "--is-inside-work-tree") != "true":
        return Report([], ["no git history here (not a git checkout, or git is not installed): drift cannot be checked"])
    notes = []
    if _git(root, "rev-parse", "--is-shallow-repository") == "true":
        notes.append(
            "shallow clone: the history is cut off, so pages last changed before the cut-off look unchanged "
            "(fetch the full history, e.g. `git fetch --unshallow` or actions/checkout with fetch-depth: 0)"
        )
    drift, uncommitted = [], []
    for english, korean in pairs(root):
        en_commit, ko_commit = _last_commit(root, english), _last_commit(root, korean)
        if en_commit is None or ko_commit is None:
            uncommitted += [p for p, c in ((korean, ko_commit), (english, en_commit)) if c is None]
            continue
        if ko_commit.time > en_commit.time:
            since = _git(root, "rev-list", "--count", f"{en_commit.sha}..{ko_commit.sha}", "--", korean)
            drift.append(Drift(english, korean, ko_commit, en_commit, int(since) if since and since.isdigit() else 0))
    if uncommitted:
        notes.append(f"not committed yet, so not compared: {', '.join(uncommitted)}")
    return Report(drift, notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this checkout)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any English page is older than its Korean source")
    args = parser.parse_args(argv)
    report = find_drift(args.root.resolve())
    print("\n".join(report.lines()))
    return 1 if args.strict and report.drift else 0


if __name__ == "__main__":
    sys.exit(main())
