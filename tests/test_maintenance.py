"""The way past Material's end of life (CONTRIBUTING.md, "Maintenance"): ProperDocs, the maintained fork of MkDocs 1.6,
builds the site with --strict, both languages, into the same files as MkDocs apart from the generator tag; and the
end-of-life date the guide gives is the one Material announces."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import material

from conftest import ROOT, copy_project

# Material's <meta name="generator" content="mkdocs-<engine version>, mkdocs-material-…">, attributes in any order
# (pages that hooks rewrite with BeautifulSoup have them swapped).
GENERATOR = re.compile(r'<meta (?=[^>]*name="generator")[^>]*content="mkdocs-([^,"]+),[^>]*>')


def files(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_properdocs_builds_both_languages_into_the_same_pages_as_mkdocs(site, tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "site"
    env = {**os.environ, "SITE_URL": site.url}
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(out)],
        env=env, capture_output=True, text=True, cwd=project, check=False,
    )
    assert result.returncode == 0, f"properdocs build --strict failed:\n{result.stdout}\n{result.stderr}"

    assert files(out) == files(site.dir), "ProperDocs and MkDocs wrote different files"
    pages = [p for p in files(out) if p.suffix == ".html"]
    assert any(p.parts[0] == "en" for p in pages) and any(p.parts[0] != "en" for p in pages), "both languages built"
    for path in files(out):
        ours, theirs = (out / path).read_bytes(), (site.dir / path).read_bytes()
        if path.suffix == ".html":
            # Each page names the engine that built it: ProperDocs for both languages (the English site is built by
            # hooks/languages.py, whose mkdocs imports ProperDocs redirects to itself), MkDocs in the reference build.
            assert GENERATOR.findall(ours.decode()) == ["ProperDocs 1.6.7"], f"{path}: not built by ProperDocs 1.6.7"
            ours, theirs = (GENERATOR.sub("", f.decode()).encode() for f in (ours, theirs))
        assert ours == theirs, f"{path} differs between the ProperDocs and the MkDocs build"


def test_the_guide_gives_materials_end_of_life_date():
    """Material's build notice (hidden in the tests and CI) announces the date; CONTRIBUTING.md must say the same."""
    notice = (Path(material.__file__).parent / "templates/__init__.py").read_text(encoding="utf-8")
    announced = re.search(r"reaches end of life on (\w+ \d{1,2}, \d{4})", notice)
    assert announced, "Material's end-of-life notice changed: read it and update CONTRIBUTING.md's Maintenance section"
    date = datetime.strptime(announced[1], "%B %d, %Y")
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert f"Material's end of life on {date.day} {date:%B %Y}" in guide, \
        f"CONTRIBUTING.md's Maintenance section must give Material's end-of-life date, {announced[1]}"
