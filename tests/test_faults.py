"""Bad input fails with the file named: each test breaks a copy of the project and checks the build (or check) says where."""

import errno
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import traceback
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from mkdocs.config import load_config

import cache_entries  # scripts/: the checks a cache entry must pass
import diagrams  # hooks/: the cache key of each drawing, the label check
import glossary  # hooks/
import page_meta  # hooks/: plain_text, https_url
import print_packet  # hooks/: the packet's chapters, cached
import search_index  # hooks/: the everyday words near the site's, cached
import template_cache  # hooks/: the compiled theme, cached
from conftest import CONTRACT, ROOT, build, copy_project, find_browser
from site_checks import contract_problems

BROKEN_DIAGRAM = '\n```mermaid\nflowchart TB\n    accTitle: t\n    accDescr: d\n    A["unclosed --> B\n```\n'
SILENT_DIAGRAM = '\n```mermaid\nflowchart TB\n    A["no text alternative"] --> B\n```\n'


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def failed_build(project, tmp_path, **env):
    result = build(project, tmp_path / "site", "http://127.0.0.1:9/aws-basics/", **env)
    assert result.returncode != 0, "the build should have failed"
    return result.stdout + result.stderr


def test_broken_diagram_fails_the_build_naming_the_file_and_line(project, tmp_path):
    page = project / "docs/infrastructure/regions.md"
    fence = page.read_text(encoding="utf-8").count("\n") + 2  # the appended ```mermaid line
    append(page, BROKEN_DIAGRAM)
    found = re.search(r"docs/infrastructure/regions\.md:(\d+): Parse error on line \d+", failed_build(project, tmp_path))
    assert found and fence < int(found.group(1)) <= fence + 5, "the line inside the fence where Mermaid stopped"


def test_build_without_a_browser_or_a_hangul_font_fails_with_one_clear_line(project, tmp_path):
    fresh = {"DIAGRAM_CACHE": str(tmp_path / "cache")}  # nothing drawn yet: the build needs the browser
    output = failed_build(project, tmp_path, CHROME_PATH=str(tmp_path / "no-chromium"), **fresh)
    assert re.search(r"ERROR +- +No Chromium to draw the diagrams: .*no-chromium", output)
    fonts = tmp_path / "fonts.conf"  # a fontconfig that knows no fonts at all
    fonts.write_text('<?xml version="1.0"?><fontconfig><dir>/nonexistent</dir></fontconfig>', encoding="utf-8")
    output = failed_build(project, tmp_path, FONTCONFIG_FILE=str(fonts), **fresh)
    assert re.search(r"ERROR +- +No Hangul font for the diagram labels: install one \(.*fonts-noto-cjk\)", output)


def test_diagram_without_text_alternative_fails_naming_the_file(project, tmp_path):
    append(project / "docs/en/service-types.md", SILENT_DIAGRAM)
    assert re.search(r"docs/en/service-types\.md:\d+: Mermaid diagram needs 'accTitle:'", failed_build(project, tmp_path))


def test_missing_translation_fails_naming_the_file(project, tmp_path):
    (project / "docs/en/interfaces.md").unlink()
    assert "docs/en/interfaces.md: missing English translation" in failed_build(project, tmp_path)


def test_heading_id_differing_between_languages_fails_naming_the_file(project, tmp_path):
    page = project / "docs/en/infrastructure/regions.md"
    page.write_text(page.read_text(encoding="utf-8").replace("{ #latency }", "{ #delay }"), encoding="utf-8")
    assert "docs/en/infrastructure/regions.md: heading ids differ" in failed_build(project, tmp_path)


def test_heading_without_explicit_id_fails_naming_the_file(project, tmp_path):
    append(project / "docs/service-types.md", "\n## 아이디 없는 제목\n\n본문입니다.\n")
    assert re.search(r"docs/service-types\.md:\d+: heading has no explicit id", failed_build(project, tmp_path))


def test_dead_link_fails_the_build_naming_the_file(project, tmp_path):
    append(project / "docs/en/infrastructure/local-zones.md", "\nSee [nowhere](no-such-page.md).\n")
    assert re.search(r"infrastructure/local-zones\.md.*no-such-page\.md", failed_build(project, tmp_path))


def test_dead_anchor_fails_the_build_naming_the_file(project, tmp_path):
    append(project / "docs/interfaces.md", "\n[없는 절](infrastructure/regions.md#no-such-section)을 참고합니다.\n")
    assert re.search(r"interfaces\.md.*#no-such-section", failed_build(project, tmp_path))


def test_renaming_an_id_in_both_languages_breaks_the_url_contract(project, tmp_path):
    # An id no data file points at (a renamed #cost already stops the build: data/concepts.yml names it).
    for page in ("docs/infrastructure/regions.md", "docs/en/infrastructure/regions.md"):
        path = project / page
        path.write_text(path.read_text(encoding="utf-8").replace("{ #criteria-comparison }", "{ #criteria-table }"), encoding="utf-8")
    result = build(project, tmp_path / "site", "http://127.0.0.1:9/aws-basics/")
    assert result.returncode == 0, result.stdout + result.stderr
    problems = "\n".join(contract_problems(tmp_path / "site", CONTRACT))
    assert "docs/infrastructure/regions.md: ids in the URL contract are gone: ['criteria-comparison']" in problems
    assert "docs/en/infrastructure/regions.md: ids in the URL contract are gone: ['criteria-comparison']" in problems


def test_another_material_release_that_takes_every_patch_builds(project, tmp_path):
    """No check reads Material's version: a release whose bundle still takes every patch builds (version faked here)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "SITE_URL": "http://127.0.0.1:9/aws-basics/", "NO_MKDOCS_2_WARNING": "1"}
    fake = ("import material, sys; material.__version__ = '9.9.0'; from mkdocs.__main__ import cli; "
            "sys.argv = ['mkdocs', 'build', '--strict', '-f', sys.argv[1], '-d', sys.argv[2]]; cli()")
    result = subprocess.run([sys.executable, "-c", fake, str(project / "mkdocs.yml"), str(tmp_path / "site")],
                            env=env, capture_output=True, text=True, cwd=project, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "9.9.0" in subprocess.run([sys.executable, "-c", fake.replace("cli()", "print(material.__version__)"), "", ""],
                                     capture_output=True, text=True, check=True).stdout


def test_a_material_patch_that_no_longer_applies_fails_naming_it(project, tmp_path):
    hook = project / "hooks/material_patches.py"
    hook.write_text(hook.read_text(encoding="utf-8").replace(
        """'M("table:not([class])",e).map(i=>ti(i))':""", """'M("table:not([class])",e).map(i=>gone(i))':"""),
        encoding="utf-8")
    output = failed_build(project, tmp_path)
    assert "Material patch 'M(\"table:not([class])\",e).map(i=>gone(i))' no longer applies" in output
    assert "update BUNDLE_PATCHES in hooks/material_patches.py" in output


def test_broken_diagram_during_serve_is_reported_and_the_page_keeps_its_last_drawing(project, tmp_path):

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    url = f"http://127.0.0.1:{port}/infrastructure/regions/"
    try:
        def page(expect):
            for _ in range(120):
                try:
                    html = urllib.request.urlopen(url, timeout=5).read().decode()
                    if expect(html):
                        return html
                except OSError:
                    pass
                time.sleep(0.5)
            raise AssertionError("the server did not serve the expected page")

        before = page(lambda html: "diagram__svg" in html)
        regions = project / "docs/infrastructure/regions.md"
        broken = regions.read_text(encoding="utf-8").replace('X["후보에서 제외"]', 'X["후보에서 제외')
        regions.write_text(broken + "\nREBUILT-WITH-A-BROKEN-DIAGRAM\n", encoding="utf-8")
        after = page(lambda html: "REBUILT-WITH-A-BROKEN-DIAGRAM" in html)
        assert after.count("diagram__svg--light") == before.count("diagram__svg--light") == 1
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    reported = r"ERROR +- +Broken diagrams \(the pages keep their last good drawing\):\s+docs/infrastructure/regions\.md:\d+: Parse"
    assert re.search(reported, output), output[-2000:]


# --- Hardening (issue #22): caches that cannot corrupt a build, no half-built site, one-line errors, escaped content.
# Each fault is built once (module- or class-scoped fixtures) and every test about it reads that one build.

URL = "http://127.0.0.1:9/aws-basics/"
SHARED = {kind: Path(os.environ[kind]) for kind in ("DIAGRAM_CACHE", "SOCIAL_CARD_CACHE", "TEMPLATE_CACHE")}
CARD_SIZE = (1200, 630)
# `mkdocs build` in which every write under one folder stops part-way with an errno: for machines where the test
# cannot mount a small or read-only file system (not root, or not allowed to mount).
FAILING_WRITES = """
import builtins, errno, io, os, sys
folder, code, config, site = os.path.realpath(sys.argv[1]), getattr(errno, sys.argv[2]), sys.argv[3], sys.argv[4]
class Failing(io.RawIOBase):
    def __init__(self, f): self.f = f
    def writable(self): return True
    def fileno(self): return self.f.fileno()
    def write(self, data): self.f.write(bytes(data)[: len(data) // 2]); raise OSError(code, os.strerror(code))
    def close(self): self.f.close(); super().close()
def failing(opener):
    def open_(file, mode="r", *args, **kwargs):
        f = opener(file, mode, *args, **kwargs)
        where = os.readlink(f"/proc/self/fd/{f.fileno()}")
        return Failing(f) if any(m in mode for m in "wax+") and where.startswith(folder + os.sep) else f
    return open_
builtins.open, os.fdopen = failing(builtins.open), failing(os.fdopen)
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build", "--strict", "-f", config, "-d", site]
cli()
"""


def build_with_failing_writes(project: Path, site_dir: Path, folder: Path, code: str, **env) -> subprocess.CompletedProcess:
    env = {**os.environ, "SITE_URL": URL, "NO_MKDOCS_2_WARNING": "1", **env}
    command = [sys.executable, "-c", FAILING_WRITES, str(folder), code, str(project / "mkdocs.yml"), str(site_dir)]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=project, check=False)


def mount_tmpfs(folder: Path, size: str) -> bool:
    """Mounts a size-limited tmpfs on `folder`; False where this machine does not let the test mount (then it simulates)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True,
                          check=False).returncode == 0


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def fill(folder: Path, leave: int = 8192) -> Path:
    """Fills the file system under `folder` with one file, leaving about `leave` bytes (less than any cache entry)."""
    filler = folder / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC, error
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def entry_names(project: Path) -> list[str]:
    """The diagram cache entry of each fence in the project's pages, as the build names it."""
    fingerprint = diagrams._renderer_fingerprint()
    names = [diagrams._key(diagrams._normalise(source), fingerprint) + ".json"
             for path in sorted((project / "docs").rglob("*.md")) for _, source in diagrams._fences(path)]
    return list(dict.fromkeys(names))


def seed(target: Path, kind: str, names: list[str] | None = None) -> Path:
    """Copies entries of the shared (warm) cache of one kind into `target`: the named ones, or all."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in SHARED[kind].iterdir():
        if (names is None and not entry.name.endswith(".tmp")) or (names and entry.name in names):
            shutil.copyfile(entry, target / entry.name)
    return target


def cache_problems(folder: Path) -> list[str]:
    """Entries in a cache folder that do not verify, and anything else left there (temporary files)."""
    problems = []
    for entry in sorted(folder.iterdir()):
        if entry.name == "filler":
            continue
        data = entry.read_bytes()
        if entry.suffix == ".json":
            problem = cache_entries.json_problem(data, diagrams._drawing_problem)[1]
        elif entry.suffix == ".png":
            problem = cache_entries.png_problem(data, CARD_SIZE)
        elif entry.suffix == ".jinja":
            problem = cache_entries.sealed_problem(data)[1]
        else:
            problem = "not a cache entry"
        if problem:
            problems.append(f"{entry.name}: {problem}")
    return problems


def one_line(output: str, pattern: str) -> str:
    """The one line matching `pattern`, in an output without a traceback."""
    assert "Traceback" not in output, output[-3000:]
    found = [line for line in output.splitlines() if re.search(pattern, line)]
    assert len(found) == 1, f"expected one line matching {pattern!r}:\n{output[-3000:]}"
    return found[0]


def site_files(site_dir: Path) -> dict[str, str]:
    return {str(p.relative_to(site_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site_dir.rglob("*")) if p.is_file()}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def article(html: str) -> str:
    return html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


# M1 (damaged entries) and L2/L3 (markup in names and headings): one build of a tampered copy.

@pytest.fixture(scope="module")
def tampered(site, tmp_path_factory):
    """One build of a copy whose caches are damaged (two drawings, every link preview, three compiled templates) and whose
    names carry markup."""
    tmp = tmp_path_factory.mktemp("tampered")
    project = copy_project(tmp / "project")
    drawings, cards = seed(tmp / "diagrams", "DIAGRAM_CACHE"), seed(tmp / "social", "SOCIAL_CARD_CACHE")
    theme = load_config(str(project / "mkdocs.yml")).theme.get_env()  # the environment MkDocs compiles the theme in
    names = [template_cache.entry_name(name, (project / "overrides" / name).read_text(encoding="utf-8"),
                                       template_cache.compiler(theme))
             for name in ("main.html", "partials/header.html", "partials/search.html")]  # the site build compiled them
    templates = seed(tmp / "templates", "TEMPLATE_CACHE", names)
    damaged = [templates / name for name in names]
    for entry, damage in zip(damaged, [lambda b: b[: len(b) // 2], lambda b: b[:-40] + bytes([b[-40] ^ 1]) + b[-39:],
                                       lambda b: b""], strict=True):  # cut, one bit flipped in the code, empty
        entry.write_bytes(damage(entry.read_bytes()))
    cut, wrong = (drawings / name for name in entry_names(project)[:2])
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])  # a write that stopped part-way
    wrong.write_text(json.dumps({"light": {"svg": "<svg></svg>", "width": 1, "height": 1}}), encoding="utf-8")
    damages = [lambda b: b[: len(b) // 2], lambda b: b[:200] + bytes([b[200] ^ 1]) + b[201:], lambda b: b"",
               lambda b: b[:-12]]  # cut, one bit flipped, empty, no end chunk
    for number, card in enumerate(sorted(cards.iterdir())):
        card.write_bytes(damages[number % len(damages)](card.read_bytes()))
    terms = project / "data/glossary.yml"
    terms.write_text(terms.read_text(encoding="utf-8").replace("  ko: 리전\n  en: Region\n",
                     '  ko: "리전 <script>window.pwned=1</script>"\n  en: "Region \\"><img src=//x.example/r>"\n'), encoding="utf-8")
    regions = project / "docs/en/infrastructure/regions.md"
    regions.write_text(regions.read_text(encoding="utf-8").replace(
        "# Regions { #regions }", '# Regions "quoted" <img src=//x.example/h> { #regions }'), encoding="utf-8")
    # The session's site URL: every link preview this build needs is in the copied cache, damaged.
    launches, chromium = tmp / "launches", tmp / "chromium"  # the browser the build finds, behind a script that counts
    if browser := find_browser():
        chromium.write_text(f'#!/bin/sh\necho launched >> "{launches}"\nexec "{browser}" "$@"\n', encoding="utf-8")
        chromium.chmod(0o755)
        browser = browser if os.access(chromium, os.X_OK) else None  # (a temporary folder mounted noexec: not counted)
    result = build(project, tmp / "site", site.url, DIAGRAM_CACHE=str(drawings), SOCIAL_CARD_CACHE=str(cards),
                   TEMPLATE_CACHE=str(templates), **({"CHROME_PATH": str(chromium)} if browser else {}))
    return {"result": result, "output": result.stdout + result.stderr, "site": tmp / "site", "cut": cut, "wrong": wrong,
            "drawings": drawings, "cards": cards, "templates": templates, "damaged templates": damaged,
            "launches": (launches.read_text() if launches.exists() else "").count("launched") if browser else None}


def test_damaged_cache_entries_are_drawn_again_and_the_build_passes(tampered):
    assert tampered["result"].returncode == 0, tampered["output"][-3000:]
    assert "Traceback" not in tampered["output"]


def test_one_chromium_draws_the_diagrams_and_both_languages_link_previews(tampered):
    if tampered["launches"] is None:
        pytest.skip("Playwright's own Chromium, or a temporary folder that runs nothing: launches not counted")
    assert "Drawing 2 diagram" in tampered["output"] and tampered["output"].count("link preview(s)") == 2
    assert tampered["launches"] == 1


def test_each_damaged_drawing_is_named_in_one_line_and_replaced(tampered):
    one_line(tampered["output"], rf"Cache entry \S+/{tampered['cut'].name} \(docs/\S+\.md:\d+\) is damaged, not valid JSON")
    one_line(tampered["output"], rf"Cache entry \S+/{tampered['wrong'].name} \(docs/\S+\.md:\d+\) is damaged, no dark drawing")
    assert cache_problems(tampered["drawings"]) == []


def test_each_damaged_link_preview_is_named_in_one_line_and_only_whole_ones_are_published(tampered):
    published = sorted(tampered["site"].rglob("assets/social/*.png"))
    assert len(published) >= 20
    assert [str(p) for p in published if cache_entries.png_problem(p.read_bytes(), CARD_SIZE)] == []
    reported = re.findall(r"Cache entry (\S+) \(link preview \S+\) is damaged, (.+): drawing it again", tampered["output"])
    # Every card in the cache was damaged: each one the build used was reported once and replaced by a whole one.
    assert len({path for path, _ in reported}) == len(reported) == len(published)
    for kind in ("cut off inside its", "checksum error in its", "too short for a PNG", "no end chunk"):
        assert any(reason.startswith(kind) for _, reason in reported), (kind, reported)
    assert [p for p, _ in reported if cache_entries.png_problem(Path(p).read_bytes(), CARD_SIZE)] == []


def test_each_damaged_compiled_template_is_named_in_one_line_and_compiled_again(tampered):
    for entry in tampered["damaged templates"]:
        one_line(tampered["output"], rf"Cache entry \S+/{entry.name} \(a compiled template\) is damaged, its checksum does not "
                                     r"match \(cut or changed\): compiling it again")
    assert cache_problems(tampered["templates"]) == []
    assert len(list(tampered["templates"].iterdir())) >= 30, "the build keeps every template it compiled"


def test_a_template_cache_that_cannot_be_written_gives_one_line_naming_the_folder(project, tmp_path):
    (tmp_path / "templates").write_text("a file where the cache's folder would be", encoding="utf-8")
    output = failed_build(project, tmp_path, TEMPLATE_CACHE=str(tmp_path / "templates" / "cache"))
    one_line(output, r"ERROR +- +Cannot write the build cache in \S+/templates/cache: not a directory; set TEMPLATE_CACHE to "
                     r"another folder")


def test_a_template_compiled_in_another_checkout_names_its_own_file_in_errors(tmp_path, monkeypatch):
    monkeypatch.setattr(template_cache, "CACHE", str(tmp_path / "cache"))
    for checkout in ("first", "second"):  # the second reads the entry the first wrote (same name and source)
        (tmp_path / checkout).mkdir()
        (tmp_path / checkout / "page.html").write_text("{% block body %}{{ 1 // 0 }}{% endblock %}", encoding="utf-8")
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path / checkout))
        env.bytecode_cache = template_cache.TemplateCache()
        with pytest.raises(ZeroDivisionError) as raised:
            env.get_template("page.html").render()
        assert [frame.filename for frame in traceback.extract_tb(raised.value.__traceback__)][-2:] == \
            [str(tmp_path / checkout / "page.html")] * 2
    assert len(list((tmp_path / "cache").iterdir())) == 1


def test_a_damaged_search_cache_entry_is_named_and_found_again(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(search_index, "CACHE", str(tmp_path))
    targets = frozenset({"region", "zone", "리전", "영역"})
    near = search_index._near.__wrapped__(targets)  # lru_cache's function: the cache on disk only
    (entry,) = tmp_path.iterdir()
    assert json.loads(entry.read_bytes()) == list(near) and near
    entry.write_bytes(b'["half a list", ')
    caplog.set_level("INFO", logger="mkdocs.hooks.search_index")
    assert search_index._near.__wrapped__(targets) == near
    assert f"Cache entry {entry} (everyday words for search) is damaged, not valid JSON" in caplog.text
    assert json.loads(entry.read_bytes()) == list(near)


def test_a_damaged_print_packet_chapter_is_named_and_printed_again(site, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(print_packet, "CACHE", str(tmp_path))
    config = SimpleNamespace(site_dir=str(site.dir), site_url=site.url, extra={"site_lang": "ko"})
    chapters = {print_packet.page_path(p): print_packet.chapter_id(p) for p in print_packet.packet_pages()}
    chapter = ["infrastructure/regions.md", 3, chapters]
    printed = print_packet.cached_chapter(config, *chapter)
    (entry,) = tmp_path.iterdir()
    whole = entry.read_bytes()
    entry.write_bytes(cache_entries.sealed(json.dumps({"html": "<p>kept</p>", "title": "t", "sections": []}).encode()))
    assert print_packet.cached_chapter(config, *chapter) == ("<p>kept</p>", "t", []), "a whole entry is what is printed"
    entry.write_bytes(whole[:-100] + bytes([whole[-100] ^ 1]) + whole[-99:])
    caplog.set_level("INFO", logger="mkdocs.hooks.print_packet")
    assert print_packet.cached_chapter(config, *chapter) == printed
    assert (f"Cache entry {entry} (print packet chapter infrastructure/regions.md) is damaged, its checksum does not match"
            in caplog.text)
    assert entry.read_bytes() == whole
    monkeypatch.setattr(print_packet, "KEEP", 1)  # a whole packet printed: only its last chapter is kept, not this one
    config.site_description, config.docs_dir = "", str(ROOT / "docs")
    print_packet._packet(config)
    assert [p.name for p in tmp_path.iterdir()] != [entry.name] and len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_names_and_headings_with_markup_reach_the_glossary_page_as_text(tampered, lang):
    page = (tampered["site"] / ("en/" if lang == "en" else "") / "glossary/index.html").read_text(encoding="utf-8")
    content = parsed(article(page))
    assert [t for t, _ in content.tags if t in ("script", "img")] == [], "markup from data/ ran as HTML"
    text = "".join(content.text)
    if lang == "en":
        assert 'Region "><img src=//x.example/r>' in text  # its own row and the "see also" of the terms that relate to it
        assert 'Regions "quoted" <img src=//x.example/h> page' in text  # "Explained on:" names the page by its h1
    else:
        assert text.count("리전 <script>window.pwned=1</script>") >= 2


# M1 and L6: a cache on a full disk, then with space again; a read-only cache.

@pytest.fixture(scope="module")
def full_disk(site, tmp_path_factory):
    """Two drawings missing from a cache on a full 1 MiB tmpfs (else: writes there fail with ENOSPC), then with space."""
    tmp = tmp_path_factory.mktemp("full-disk")
    project = copy_project(tmp / "project")
    names, cache = entry_names(project), tmp / "diagrams"
    mounted = mount_tmpfs(cache, "1m")
    seed(cache, "DIAGRAM_CACHE", names[2:])
    env = {"DIAGRAM_CACHE": str(cache)}
    if mounted:
        filler = fill(cache)
        full = build(project, tmp / "site", URL, **env)
    else:
        full = build_with_failing_writes(project, tmp / "site", cache, "ENOSPC", **env)
    left = cache_problems(cache)
    if mounted:
        filler.unlink()
    again = build(project, tmp / "site", URL, **env)
    yield {"full": full.stdout + full.stderr, "rc": full.returncode, "left": left, "again": again, "cache": cache,
           "names": names, "how": "a full 1 MiB tmpfs" if mounted else "writes failing with ENOSPC"}
    if mounted:
        unmount(cache)


def test_a_full_disk_under_the_cache_gives_one_line_naming_the_folder_and_what_to_do(full_disk):
    assert full_disk["rc"] != 0, full_disk["how"]
    one_line(full_disk["full"], r"ERROR +- +Cannot write the build cache in \S+/diagrams: no space left on the device; free "
                                r"some space on that disk, or set DIAGRAM_CACHE to a folder on another disk, and build again")


def test_a_full_disk_leaves_no_partial_entry_and_the_next_build_completes_the_cache(full_disk):
    assert full_disk["left"] == [], f"{full_disk['how']}: left in the cache"
    assert full_disk["again"].returncode == 0, full_disk["again"].stdout + full_disk["again"].stderr
    assert "is damaged" not in full_disk["again"].stdout + full_disk["again"].stderr
    assert set(full_disk["names"]) <= {p.name for p in full_disk["cache"].iterdir()}
    assert cache_problems(full_disk["cache"]) == []


@pytest.fixture(scope="module")
def read_only_cache(site, tmp_path_factory):
    """A cache missing one drawing on a read-only tmpfs (else a folder without write permission, or failing writes)."""
    tmp = tmp_path_factory.mktemp("read-only")
    project = copy_project(tmp / "project")
    cache = tmp / "diagrams"
    mounted = mount_tmpfs(cache, "4m")
    seed(cache, "DIAGRAM_CACHE", entry_names(project)[1:])
    env = {"DIAGRAM_CACHE": str(cache)}
    if mounted and subprocess.run(["mount", "-o", "remount,ro", str(cache)], check=False).returncode == 0:
        result = build(project, tmp / "site", URL, **env)
    elif os.geteuid() != 0:
        cache.chmod(0o555)
        result = build(project, tmp / "site", URL, **env)
    else:
        result = build_with_failing_writes(project, tmp / "site", cache, "EROFS", **env)
    yield result
    if mounted:
        unmount(cache)
    cache.chmod(0o755)


def test_a_read_only_cache_gives_one_line_naming_the_folder_and_what_to_do(read_only_cache):
    output = read_only_cache.stdout + read_only_cache.stderr
    assert read_only_cache.returncode != 0
    one_line(output, r"ERROR +- +Cannot write the build cache in \S+/diagrams: (read-only file system|permission denied); "
                     r"make it writable, or set DIAGRAM_CACHE to a writable folder, and build again")


def test_a_full_disk_under_the_site_gives_one_line_and_leaves_nothing_half_written(tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    if mount_tmpfs(out, "1m"):
        try:
            result = build(project, out / "site", URL)
            left = sorted(p.name for p in out.iterdir())
        finally:
            unmount(out)
    else:
        result = build_with_failing_writes(project, out / "site", out, "ENOSPC")
        left = sorted(p.name for p in out.iterdir())
    assert result.returncode != 0
    one_line(result.stdout + result.stderr, r"ERROR +- +Cannot write \S+: No space left on device; free some space on that "
                                            r"disk, or build elsewhere with -d DIR")
    assert left == [".site.lock"], "no site/ and no half-built folder"


# I1 and L7: two builds into one site_dir queue; a build that fails leaves the site it replaces as it was.

def start_build(project: Path, site_dir: Path, **env) -> subprocess.Popen:
    """`mkdocs build` in the background (conftest.build waits for it); its output is merged into stdout."""
    env = {**os.environ, "SITE_URL": URL, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
                             "-d", str(site_dir)], env=env, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


@pytest.fixture(scope="class")
def one_site_dir(site, tmp_path_factory):
    """Builds A and B into one site_dir while C builds elsewhere, all three sharing a cache that lacks two drawings and
    every link preview; then two builds into the same site_dir that fail (no Chromium, a bad translation hash)."""
    tmp = tmp_path_factory.mktemp("one-site-dir")
    project = copy_project(tmp / "project")
    target, elsewhere = tmp / "out" / "site", tmp / "elsewhere" / "site"
    caches = {"DIAGRAM_CACHE": str(seed(tmp / "diagrams", "DIAGRAM_CACHE", entry_names(project)[2:])),
              "SOCIAL_CARD_CACHE": str(tmp / "social")}
    first = start_build(project, target, **caches)
    lines = []
    for line in first.stdout:  # B starts once A holds the lock (it is building into its own folder)
        lines.append(line)
        if "Building documentation to directory" in line:
            break
    second, third = start_build(project, target, **caches), start_build(project, elsewhere, **caches)
    together = ["".join(lines) + first.communicate()[0], second.communicate()[0], third.communicate()[0]]
    codes = [first.returncode, second.returncode, third.returncode]
    before = site_files(target)
    no_browser = build(project, target, URL, CHROME_PATH=str(tmp / "no-chromium"), SOCIAL_CARD_CACHE=str(tmp / "none"),
                       DIAGRAM_CACHE=caches["DIAGRAM_CACHE"])
    after_no_browser = site_files(target)
    english = project / "docs/en/infrastructure/regions.md"
    english.write_text(re.sub(r"translated_from: \S+", "translated_from: sha1:4fadf2ccffa2", english.read_text(encoding="utf-8")),
                       encoding="utf-8")
    bad_hash = build(project, target, URL, **caches)
    return {"together": together, "codes": codes, "target": target, "elsewhere": elsewhere, "before": before,
            "no_browser": no_browser, "after_no_browser": after_no_browser, "bad_hash": bad_hash,
            "after_bad_hash": site_files(target), "leftovers": sorted(p.name for p in target.parent.iterdir()),
            "caches": caches}


class TestOneSiteDir:
    def test_two_builds_into_one_site_dir_queue_and_both_pass(self, one_site_dir):
        assert one_site_dir["codes"] == [0, 0, 0], "\n\n".join(out[-2000:] for out in one_site_dir["together"])
        waited = [out for out in one_site_dir["together"][:2] if "Another build is writing" in out]
        assert len(waited) == 1, "the second build into the same site_dir waits for the first"
        one_line(waited[0], rf"INFO +- +Another build is writing {re.escape(str(one_site_dir['target']))}: waiting for it to finish")

    def test_the_site_they_leave_is_whole(self, one_site_dir):
        target = one_site_dir["target"]
        assert contract_problems(target, CONTRACT) == []
        for lang in ("", "en/"):
            assert "<!-- print-packet -->" not in (target / lang / "print/index.html").read_text(encoding="utf-8")
            assert len(list((target / lang / "assets/social").glob("*.png"))) >= 10
        assert one_site_dir["leftovers"] == [".site.lock", "site"], "no folder of a build in progress is left behind"

    def test_builds_sharing_a_cache_draw_the_same_site_and_leave_only_whole_entries(self, one_site_dir):
        assert site_files(one_site_dir["elsewhere"]) == one_site_dir["before"]
        for folder in one_site_dir["caches"].values():
            assert cache_problems(Path(folder)) == []

    def test_a_missing_chromium_gives_one_line_and_leaves_the_site_as_it_was(self, one_site_dir):
        result = one_site_dir["no_browser"]
        assert result.returncode != 0
        one_line(result.stdout + result.stderr, r"ERROR +- +No Chromium to draw the link previews: CHROME_PATH=\S+no-chromium "
                                                r"is not an executable")
        assert one_site_dir["after_no_browser"] == one_site_dir["before"]

    def test_a_failed_english_build_leaves_the_site_as_it_was(self, one_site_dir):
        result = one_site_dir["bad_hash"]
        assert result.returncode != 0
        assert "docs/en/infrastructure/regions.md: `translated_from` must look like sha256:" in result.stdout + result.stderr
        assert one_site_dir["after_bad_hash"] == one_site_dir["before"]
        assert one_site_dir["leftovers"] == [".site.lock", "site"]


# L2, L3, L5: content that would break out of its HTML fails the build, naming the file and the entry or line.

def test_a_description_that_would_break_out_of_its_meta_tag_fails_naming_the_file(project, tmp_path):
    page = project / "docs/en/service-types.md"
    payload = 'description: "\\"><script>alert(1)</script> AWS services'
    page.write_text(page.read_text(encoding="utf-8").replace('description: "AWS services', payload), encoding="utf-8")
    one_line(failed_build(project, tmp_path), r'docs/en/service-types\.md: front matter `description` must be plain text, without "')


def test_a_glossary_link_that_is_not_https_to_aws_fails_naming_the_file_and_term(project, tmp_path):
    terms = project / "data/glossary.yml"
    terms.write_text(terms.read_text(encoding="utf-8").replace(
        '"https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html"', '"javascript:alert(1)"'), encoding="utf-8")
    one_line(failed_build(project, tmp_path), r"data/glossary\.yml:\d+: term 'region': aws_docs\.en must be an https:// URL, "
                                              r"not 'javascript:alert\(1\)'")


def test_a_nav_title_with_markup_fails_naming_mkdocs_yml(project, tmp_path):
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("- 리전: infrastructure", '- "리전 <img src=//x.example/n>": infrastructure'), encoding="utf-8")
    one_line(failed_build(project, tmp_path), r"mkdocs\.yml: a nav title must be plain text, without <")


def test_diagram_labels_with_html_or_links_elsewhere_fail_naming_file_and_line(project, tmp_path):
    page = project / "docs/infrastructure/regions.md"
    fence = page.read_text(encoding="utf-8").count("\n") + 2  # the ```mermaid line
    append(page, '\n```mermaid\nflowchart TB\n    accTitle: t\n    accDescr: d\n    A["<img src=//tracker.example/p.gif>"] --> B["끝"]\n'
                 '    click B "https://evil.example/"\n    C["<b>굵게</b><br>둘째 줄"] --> A\n```\n')
    output = failed_build(project, tmp_path)
    for offset, problem in ((4, "diagram labels are text only, no HTML but <br>: A"), (5, "click may only link a page of this site"),
                            (6, "diagram labels are text only, no HTML but <br>: C")):
        one_line(output, rf"docs/infrastructure/regions\.md:{fence + offset}: {re.escape(problem)}")


# The checks themselves, with each payload at each kind of sink (no build).

PAYLOADS = ['"><script>alert(1)</script>', "javascript:alert(1)", "<img src=//x.example/p>"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_printed_into_html_as_it_is_rejects_each_payload(payload):
    if payload.startswith("javascript"):
        page_meta.plain_text(payload, "f.md", "description")  # plain text; as a URL it fails below
    else:
        with pytest.raises(page_meta.PluginError, match=r"f\.md: description must be plain text"):
            page_meta.plain_text(payload, "f.md", "description")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "http://docs.aws.amazon.com/x", "//docs.aws.amazon.com/x",
                                 "https://evil.example/", "https://docs.aws.amazon.com.evil.example/",
                                 'https://docs.aws.amazon.com/x"><script>alert(1)</script>', "https://aws.amazon.com/<img src=//x>"])
def test_glossary_links_must_be_https_to_aws(url):
    with pytest.raises(page_meta.PluginError, match=r"g\.yml:3: term 'x': aws_docs\.en must"):
        page_meta.https_url(url, "g.yml:3", "term 'x': aws_docs.en", hosts=glossary.AWS_DOCS_HOSTS)
    page_meta.https_url("https://docs.aws.amazon.com/ko_kr/global-infrastructure/", "g.yml:3", "x", hosts=glossary.AWS_DOCS_HOSTS)


@pytest.mark.parametrize("field,payload", [("id", 'az"><script>alert(1)</script>'), ("id", "<img src=//x>"),
                                           ("abbr", "<img src=//x>"), ("abbr", '"><script>')])
def test_glossary_ids_and_abbreviations_with_markup_fail_naming_the_term(field, payload):
    term = {**glossary.load_terms()[1], field: payload}
    with pytest.raises(glossary.PluginError, match=rf"g\.yml:7: term .*{field} .*must be"):
        glossary._check(term, "g.yml", 7, {})


@pytest.mark.parametrize("line", ['A["<img src=//x.example/p>"]', 'A["x"] --> B["<b>b</b>"]', 'A["#60;img src=x#62;"]',
                                  'click A "https://evil.example/"', 'click A href "//evil.example"', "click A call cb()",
                                  'click A "javascript:alert(1)"', '%%{init: {"securityLevel": "loose"}}%%',
                                  "style A fill:url(https://x.example/y)"])
def test_diagram_lines_that_could_load_or_open_something_are_rejected(line):
    assert [n for n, _ in diagrams.label_problems(f"flowchart TB\n    {line}")] == [1]


@pytest.mark.parametrize("line", ['A["가용 영역<br>AZ"] --> B("둘째<br/>줄")', 'A["a < b"] <--> B', 'click A "#latency"',
                                  'click A "../regions/" "리전"'])
def test_diagram_lines_with_text_line_breaks_and_links_within_the_site_pass(line):
    assert diagrams.label_problems(f"flowchart TB\n    {line}") == []
