"""Shared fixtures: one strict build of both languages, served under a sub-path like GitHub Pages, and a recording Chromium.

With pytest-xdist (./dev test runs `-n auto`), the main process serves the site and the first worker to need it builds
it, under a file lock, for all of them; each worker has its own Chromium. Tests that use the browser are marked
`browser` (`./dev test --quick` leaves them out). A module-scoped fixture is made once in each worker that runs its
tests (xdist 3.8's loadgroup does not group under pytest 9.2: it renames item._nodeid, which pytest 9 no longer reads).
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "hooks"))

from find_browser import CHROMIUM_ARGS, find_browser  # noqa: E402
from page_weight import wait_for_quiet  # noqa: E402
from pages_server import serve  # noqa: E402

PREFIX = "/aws-basics/"  # the tests serve the site under a sub-path, as a fork's GitHub Pages would
CONTRACT = yaml.safe_load((ROOT / "tests" / "url_contract.yml").read_text(encoding="utf-8"))
PAGES = list(CONTRACT["pages"])  # "" is the home page
LANGS = {"ko": "", "en": "en/"}
# Every build (this checkout's and the temporary copies') shares the drawn-diagram cache of this checkout.
os.environ.setdefault("DIAGRAM_CACHE", str(ROOT / ".cache" / "diagrams"))
os.environ.setdefault("SOCIAL_CARD_CACHE", str(ROOT / ".cache" / "social"))  # and of link-preview images
os.environ.setdefault("SEARCH_CACHE", str(ROOT / ".cache" / "search"))  # and of the search index's everyday words
os.environ.setdefault("TEMPLATE_CACHE", str(ROOT / ".cache" / "templates"))  # and of the compiled theme
os.environ.setdefault("PACKET_CACHE", str(ROOT / ".cache" / "packet"))  # and of the print packet's chapters
PROJECT_PARTS = ("mkdocs.yml", "mkdocs.en.yml", "docs", "hooks", "overrides", "data", "scripts", "package.json")


def copy_project(target: Path) -> Path:
    """Copies what a build needs into `target` (node_modules linked, not copied) so a test can break it."""
    target.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


def build(project: Path, site_dir: Path, site_url: str, **extra_env: str) -> subprocess.CompletedProcess:
    """Runs `mkdocs build --strict` for `project` (both languages) and returns the finished process."""
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1", **extra_env}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)],
        env=env, capture_output=True, text=True, cwd=project, check=False,
    )


@dataclass
class Site:
    dir: Path
    url: str  # ends with PREFIX

    def page_url(self, lang: str, page: str) -> str:
        return self.url + LANGS[lang] + page

    def html(self, lang: str, page: str) -> str:
        return (self.dir / LANGS[lang] / page / "index.html").read_text(encoding="utf-8")

    def soup(self, lang: str, page: str) -> BeautifulSoup:
        """The page parsed once per test process and shared: read it, or copy.copy() the part a test changes."""
        return parsed(self.dir / LANGS[lang] / page / "index.html")


@functools.cache
def parsed(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


BROWSER_FIXTURES = {"browser", "open_page"}
SERVED = pytest.StashKey[tuple]()  # the main process's server and the folder it serves from


def pytest_configure(config):
    """The main process (not an xdist worker) serves the site's folder for the whole run; workers inherit where."""
    if hasattr(config, "workerinput"):
        return
    site_dir = Path(tempfile.mkdtemp(prefix="aws-basics-tests-")) / "site"
    server, url = serve(str(site_dir), PREFIX)
    os.environ["TEST_SITE_DIR"], os.environ["TEST_SITE_URL"] = str(site_dir), url
    config.stash[SERVED] = server, site_dir.parent


def pytest_unconfigure(config):
    if SERVED in config.stash:
        server, folder = config.stash[SERVED]
        server.shutdown()
        shutil.rmtree(folder, ignore_errors=True)


# The slowest tests (`--durations=25`, under the workers of a whole run), handed out first so that none of them is
# left running alone at the end of a run.
SLOW_FIRST = {"test_lock_resolves_for_debian_12_python_wheels_only", "test_typing_korean_never_flashes_no_results",
              "test_tab_reaches_every_code_block_that_scrolls", "test_every_glossary_term_ranks_the_page_that_explains_it_first",
              "test_packet_prints_from_its_first_page_numbered_with_its_sources_and_the_glossary_last",
              "test_no_policy_violation_while_a_reader_uses_every_feature", "test_everyday_words_are_never_corrected_into_a_term",
              "test_a_korean_body_edit_shows_the_notice_until_the_hash_is_updated", "test_every_diagram_fits_a_readers_screen",
              "test_scroll_cue_shades_only_the_edges_with_more_to_see", "test_typing_states_never_empty",
              "test_404_language_links_go_to_each_home"}


def pytest_collection_modifyitems(config, items):
    """Puts the slowest tests first and marks the ones that use the browser (`./dev test --quick` leaves them out); a
    worker writes down which tests share a module- or class-scoped fixture, for the scheduler below."""
    items.sort(key=lambda item: item.originalname not in SLOW_FIRST)  # stable: otherwise in the order collected
    for item in items:
        if BROWSER_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.browser)
    if hasattr(config, "workerinput"):
        groups = Path(os.environ["TEST_SITE_DIR"]).parent / f"groups-{config.workerinput['workerid']}.json"
        groups.write_text(json.dumps(shared_fixture_groups(items)), encoding="utf-8")


def shared_fixture_groups(items) -> dict[str, str]:
    """{nodeid: group} for the tests that use a module- or class-scoped fixture: tests joined by such fixtures (also
    through another test) form one group, named after its first fixture."""
    owner: dict[str, str] = {}  # a fixture instance ("module-or-class nodeid/fixture name") -> its group's first one

    def find(key: str) -> str:
        while owner.setdefault(key, key) != key:
            key = owner[key]
        return key

    shared = {}
    for item in items:
        scopes = {"module": item.getparent(pytest.Module), "class": item.getparent(pytest.Class)}
        keys = [f"{scopes[defs[-1].scope].nodeid}/{name}"
                for name, defs in item._fixtureinfo.name2fixturedefs.items() if defs[-1].scope in scopes]
        for key in keys[1:]:
            owner[find(key)] = find(keys[0])
        if keys:
            shared[item.nodeid] = keys[0]
    return {nodeid: find(key) for nodeid, key in shared.items()}


def pytest_xdist_make_scheduler(config, log):
    """Hands out tests one by one, as `--dist load` does, but each group of tests that share a module- or class-scoped
    fixture (a lab run, a fault build) to one worker, first, so that the fixture is made once."""
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:  # the workers wrote them down while collecting, before the first call
                folder = Path(os.environ["TEST_SITE_DIR"]).parent
                self.groups = {k: v for f in folder.glob("groups-*.json") for k, v in json.loads(f.read_text()).items()}
            return self.groups.get(nodeid, nodeid)

    return SharedFixtureScheduling(config, log)


@pytest.fixture(scope="session")
def site() -> Site:
    """The site, built once per run: the first process to get the lock builds it, the others read how that went."""
    site_dir, url = Path(os.environ["TEST_SITE_DIR"]), os.environ["TEST_SITE_URL"]
    outcome = site_dir.parent / "build.json"
    with open(site_dir.parent / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not outcome.exists():
            result = build(ROOT, site_dir, url)
            outcome.write_text(json.dumps([result.returncode, result.stdout, result.stderr]), encoding="utf-8")
    returncode, stdout, stderr = json.loads(outcome.read_text(encoding="utf-8"))
    assert returncode == 0, f"mkdocs build --strict failed:\n{stdout}\n{stderr}"
    return Site(site_dir, url)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=find_browser(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Recorder:
    """What a page did: console errors, failed requests and requests to other hosts."""

    host: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    pending: set = field(default_factory=set)  # requests not yet finished

    def attach(self, page):
        page.on("request", lambda r: self.pending.add(r))
        page.on("requestfinished", lambda r: self.pending.discard(r))
        page.on("requestfailed", lambda r: self.pending.discard(r))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(f"{page.url}: {m.text}"))
        page.on("pageerror", lambda e: self.console_errors.append(f"{page.url}: {e}"))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} ({r.status})"))
        page.on("request", lambda r: urlsplit(r.url).netloc not in (self.host, "") and not r.url.startswith("data:")
                and self.external.append(r.url))

    def problems(self) -> list[str]:
        return self.console_errors + self.failed + [f"external request: {u}" for u in self.external]


# Material starts after the first paint (overrides/main.html): its document$ has emitted, fonts are in, two frames drawn.
# (A page without Material gives up after 10 s; its test then fails on what it checks.)
MATERIAL_STARTED = """() => new Promise(done => { let tries = 0; const wait = () => window.document$
  ? document$.subscribe(() => document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(done))))
  : ++tries > 1000 ? done() : setTimeout(wait, 10); wait(); })"""


def settle(page, recorder: Recorder, quiet_ms: int = 60, limit_s: float = 30) -> None:
    """Waits until Material has started and no request has been pending for `quiet_ms`."""
    page.evaluate(MATERIAL_STARTED)
    wait_for_quiet(page, recorder.pending, quiet_ms, limit_s)


RECORDERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # page -> the Recorder goto() attached to it


def goto(page, url: str, recorder: Recorder | None = None):
    """page.goto(url), then settle() (for a page with JavaScript: sooner than Playwright's networkidle); the response.
    `recorder`: one the caller has attached to the page already (else goto() attaches its own, once per page)."""
    if recorder:
        RECORDERS[page] = recorder
    elif page not in RECORDERS:
        RECORDERS[page] = Recorder(urlsplit(url).netloc)
        RECORDERS[page].attach(page)
    response = page.goto(url, wait_until="load")
    settle(page, RECORDERS[page])
    return response


class WarmContexts:
    """The browser contexts one worker's tests borrow, kept warm between tests: a context whose last page closed starts a
    new renderer process for its next page, about 1.1 s of CPU of a 1.9 s page load (benchmarks/page_load_benchmark.py),
    so each context keeps a page of the site open. A test gets a new page in a free context (JavaScript on or off),
    with its own viewport and colour scheme; when it is done, the context's other pages close and its storage
    (localStorage, cookies, IndexedDB) is cleared. Its HTTP cache stays warm, as a returning reader's does: a test of a
    first visit opens a context of its own."""

    def __init__(self, browser):
        self.browser = browser
        self.free: dict[bool, list] = {True: [], False: []}
        self.keepers: dict = {}  # context -> (the page that keeps its renderer running, its DevTools session)
        self.origins: dict = {}  # context -> the origins its pages opened, whose storage is cleared on return

    def page(self, scheme: str = "light", width: int = 1280, height: int = 800, javascript: bool = True):
        """(lease, page): a new blank page with this viewport and scheme; lease.close() gives the context back."""
        if self.free[javascript]:
            context = self.free[javascript].pop()
        else:
            context = self.browser.new_context(java_script_enabled=javascript)
            keeper = context.new_page()
            keeper.goto(os.environ["TEST_SITE_URL"] + "robots.txt")  # the same site as the tests' pages: one process
            self.keepers[context], self.origins[context] = (keeper, context.new_cdp_session(keeper)), set()
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.emulate_media(color_scheme=scheme)
        origins = self.origins[context]
        page.on("framenavigated", lambda frame: origins.add("{0.scheme}://{0.netloc}".format(urlsplit(frame.url))))
        return Lease(self, context, javascript), page

    def give_back(self, context, javascript: bool) -> None:
        keeper, cdp = self.keepers[context]
        for page in context.pages:
            if page is not keeper:
                page.close()
        # The keeper shares the renderer of the site's pages, which keeps their localStorage in memory: it clears it there
        # as well as through the browser below. (Added after one run found an earlier test's dark palette; that cause is a
        # guess, not reproduced in 110 tries with or without this line.)
        keeper.evaluate("localStorage.clear()")
        for origin in self.origins[context] - {"about://"}:
            cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "local_storage,indexeddb"})
        self.origins[context].clear()
        context.clear_cookies()  # every origin's
        context.clear_permissions()
        self.free[javascript].append(context)


@dataclass
class Lease:
    """A warm context lent to one test: close() gives it back; everything else is the context's."""

    pool: WarmContexts
    context: object
    javascript: bool

    def close(self) -> None:
        self.pool.give_back(self.context, self.javascript)

    def __getattr__(self, name: str):
        return getattr(self.context, name)


WARM: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # browser -> its WarmContexts


def new_page(browser, scheme: str = "light", width: int = 1280, height: int = 800, javascript: bool = True):
    """(lease, page): a new page in a warm context of `browser` (WarmContexts); close the lease when done."""
    return WARM.setdefault(browser, WarmContexts(browser)).page(scheme, width, height, javascript)


@pytest.fixture
def open_page(browser, site):
    """Opens a URL in a new page (light or dark scheme, any viewport, JavaScript on or off); returns (page, recorder)."""
    contexts = []

    def _open(url: str, scheme: str = "light", width: int = 1280, expect_status: int = 200, javascript: bool = True,
              height: int = 900):
        context, page = new_page(browser, scheme, width, height, javascript)
        contexts.append(context)
        recorder = Recorder(urlsplit(site.url).netloc)
        recorder.attach(page)
        # Without script nothing loads after the load event: a test of what CSS does later (scroll cues) waits for it.
        response = goto(page, url, recorder) if javascript else page.goto(url, wait_until="load")
        assert response is not None and response.status == expect_status, f"{url}: HTTP {response and response.status}"
        return page, recorder

    yield _open
    for context in contexts:
        context.close()
