"""Reproducible builds (issue #20): the same project, built at two paths under two fake clocks, gives the same bytes."""

from __future__ import annotations

import filecmp
import gzip
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from conftest import LANGS, PAGES, ROOT, copy_project

SITE_URL = "https://aws-basics.example.org/"  # the same published address for both builds
# mkdocs' own command line, run under a clock that time-machine moves to the day given as the first argument.
UNDER_CLOCK = ("import sys, time_machine\nfrom mkdocs.__main__ import cli\n"
               "with time_machine.travel(sys.argv.pop(1), tick=True):\n    cli()")
DAYS = ("2027-03-01 09:15:00+00:00", "2031-07-15 23:45:00+00:00")


def build_on(day: str, project: Path, site_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(SITE_URL=SITE_URL, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-c", UNDER_CLOCK, day, "build", "--strict", "-q", "-f",
                             str(project / "mkdocs.yml"), "-d", str(site_dir)],
                            env=env, capture_output=True, text=True, cwd=project, check=False)
    assert result.returncode == 0, f"build on {day} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """(site built on the first day at one path, site built on the second day at another, deeper path)."""
    base = tmp_path_factory.mktemp("reproducible")
    sites = []
    for day, checkout in zip(DAYS, (base / "a" / "project", base / "b" / "other" / "checkout"), strict=True):
        copy_project(checkout)
        build_on(day, checkout, checkout.parent / "site")
        sites.append(checkout.parent / "site")
    return sites


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_two_days_and_two_paths_give_byte_identical_sites(two_builds):
    first, second = two_builds
    assert files(first) == files(second), "the two builds wrote different files"
    names = files(first)
    _, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert not mismatch and not errors, f"these files differ between the two builds: {mismatch + errors}"
    kinds = {Path(n).suffix for n in names}
    assert {".html", ".gz", ".png", ".xml", ".txt", ".md", ".json"} <= kinds, f"the comparison missed a kind: {kinds}"
    for lang, prefix in LANGS.items():  # both languages, the packet, the llms files, the sitemaps and the link previews
        for part in ("print/index.html", "llms.txt", "llms-full.txt", "sitemap.xml", "sitemap.xml.gz", "assets/social/index.png"):
            assert prefix + part in names, f"{lang}: {prefix + part} was not built, so it was not compared"


def reviewed(lang: str, page: str) -> str:
    source = ROOT / "docs" / ("en" if lang == "en" else "") / (page.rstrip("/") + ".md" if page else "index.md")
    if not source.exists():
        source = source.with_suffix("") / "index.md"
    meta = yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1])
    return meta["reviewed"].isoformat()


@pytest.mark.parametrize("lang", LANGS)
def test_sitemap_lastmod_is_each_pages_reviewed_date(two_builds, lang):
    site = two_builds[0] / LANGS[lang]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    entries = dict(re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap))
    assert entries, "no <lastmod> in the sitemap"
    for page in PAGES:
        url = SITE_URL + LANGS[lang] + page
        assert entries.get(url) == reviewed(lang, page), f"{url}: lastmod {entries.get(url)}, reviewed {reviewed(lang, page)}"
    with gzip.open(site / "sitemap.xml.gz", "rt", encoding="utf-8") as f:
        assert f.read() == sitemap, "sitemap.xml.gz does not hold sitemap.xml"


@pytest.mark.parametrize("site_url,shown", [
    ("http://127.0.0.1:8000/", "aws-basics.example.org"),  # ./dev serve
    ("http://127.0.0.1:41237/aws-basics/en/", "aws-basics.example.org"),  # the tests' server
    ("http://localhost:8000/", "aws-basics.example.org"),
    ("https://user.github.io/repo/", "user.github.io"),  # a fork's Pages address
    ("https://docs.example.org/en/", "docs.example.org"),
])
def test_link_previews_show_the_published_host_not_the_serve_address(site_url, shown):
    from social_cards import published_host

    assert published_host(SimpleNamespace(site_url=site_url)) == shown
