"""Translation drift: lists each English page's recorded `translated_from` hash next to its Korean source's current body hash.

`python scripts/translation_drift.py` reports every page; `python scripts/translation_drift.py docs/interfaces.md` only that
one (Korean or English path). Each page that is behind gets the exact `translated_from:` line to paste once the English
matches the Korean again. Exit status 1 when any page is behind or has no hash. No git needed: the hashes are in the files.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from mkdocs.utils.meta import get_data

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

from translations import body_hash  # noqa: E402  (the build's own hash: one definition)

KO_DIR, EN_DIR = Path("docs"), Path("docs/en")


@dataclass(frozen=True)
class Pair:
    english: str  # docs/en/… path
    korean: str  # docs/… path
    recorded: str | None  # the English page's translated_from
    current: str  # the Korean page's body hash now

    @property
    def status(self) -> str:
        return "current" if self.recorded == self.current else "MISSING" if self.recorded is None else "BEHIND"

    def line(self, width: int) -> str:
        todo = "" if self.status == "current" else f"  -> update from {self.korean}, then set  translated_from: {self.current}"
        return f"{self.english:<{width}}  {self.recorded or '(none)':<19}  {self.current:<19}  {self.status}{todo}"


def pairs(root: Path = ROOT, only: list[str] | None = None) -> list[Pair]:
    """Every English page under docs/en/ with a Korean twin (or those named in `only`, Korean or English paths)."""
    wanted = {Path(p).as_posix().removeprefix("./") for p in only or []}
    result = []
    for english in sorted((root / EN_DIR).rglob("*.md")):
        relative = english.relative_to(root / EN_DIR)
        korean = root / KO_DIR / relative
        names = ((EN_DIR / relative).as_posix(), (KO_DIR / relative).as_posix())
        if not korean.exists() or (wanted and not wanted.intersection(names)):
            continue
        recorded = get_data(english.read_text(encoding="utf-8"))[1].get("translated_from")
        result.append(Pair(*names, str(recorded) if recorded is not None else None, body_hash(str(korean))))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="limit the report to these pages (docs/x.md or docs/en/x.md)")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this checkout)")
    args = parser.parse_args(argv)
    found = pairs(args.root.resolve(), args.pages)
    if args.pages and not found:
        parser.error(f"no translated page among: {' '.join(args.pages)}")
    width = max(len(p.english) for p in found) if found else 0
    print(f"{'English page':<{width}}  {'translated_from':<19}  {'Korean body now':<19}  status")
    print("\n".join(p.line(width) for p in found))
    return 0 if all(p.status == "current" for p in found) else 1


if __name__ == "__main__":
    sys.exit(main())
