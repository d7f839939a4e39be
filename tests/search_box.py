"""Drives Material's real search box in Chromium: types a query and reads the distinct result pages, best first."""

from __future__ import annotations

from urllib.parse import urljoin

INPUT = "input[data-md-component=search-query]"
BOX = f"document.querySelector({INPUT!r})"
RESULT_LINKS = ".md-search-result__list > li > a"  # each result page's own link (its sections' links come after it)
# Resolves once the results shown are those of `query`: the box holds it and the list was drawn for it (TAG_RESULTS).
RESULTS_FOR = """(query) => new Promise((done, fail) => {
  const input = BOX;
  const meta = document.querySelector(".md-search-result__meta");
  const ready = () => input.value === query && meta.dataset.query === query;
  if (ready()) return done();
  const watch = new MutationObserver(() => { if (ready()) { watch.disconnect(); done(); } });
  watch.observe(meta, { attributes: true, attributeFilter: ["data-query"] });
  setTimeout(() => { watch.disconnect(); fail(new Error(`no results for ${JSON.stringify(query)} within 5 s`)); }, 5000);
})""".replace("BOX", BOX)
# Replaces the box's text with `query` as a paste does (the box's own input events, which Material's search answers:
# test_search_runs_on_every_change_of_the_box), in one call; an unchanged query is cleared first, since Material only
# answers changes. Resolves, once its results are drawn, to the links of the result pages.
ENTER = """async (query) => {
  const input = BOX;
  const enter = async text => {
    input.focus();
    input.select();
    document.execCommand(text ? "insertText" : "delete", false, text);
    await (RESULTS_FOR)(text);
  };
  if (input.value === query && query) await enter("");
  await enter(query);
  return [...document.querySelectorAll(RESULT_LINKS)].map(a => a.href);
}""".replace("BOX", BOX).replace("RESULTS_FOR", RESULTS_FOR).replace("RESULT_LINKS", repr(RESULT_LINKS))
# The first result's link as a reader sees it: the section shown right under the page title (Material lists there the
# sections that scored best, and folds the others away), else the page itself.
TOP_LINK = """() => {
  const item = document.querySelector(".md-search-result__list > li");
  if (!item) return null;
  const links = [...item.children].filter(child => child.matches("a"));
  return (links[1] || links[0]).href;
}"""
# Material updates .md-search-result__meta for each query; remember which query the list belongs to.
TAG_RESULTS = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  new MutationObserver(() => { meta.dataset.query = BOX.value; })
    .observe(meta, { childList: true, characterData: true, subtree: true });
}""".replace("BOX", BOX)


def wait_for_results(page, query: str) -> None:
    """Waits until the results shown are those of `query` (without polling: the page says when)."""
    page.evaluate(RESULTS_FOR, query)


class SearchBox:
    def __init__(self, page, lang_root: str):
        self.page, self.lang_root = page, lang_root
        page.locator(INPUT).click()  # the header's search field (desktop width)
        page.evaluate(TAG_RESULTS)

    def search(self, query: str) -> list[str]:
        """Enters `query` (replacing what the box held, as a paste does) and returns the result pages (paths relative to
        the site root, anchors dropped)."""
        return self.distinct(self.page.evaluate(ENTER, query))

    def top(self) -> str | None:
        """The first result's link (path relative to the site root and #section, ?h= dropped), after search()."""
        href = self.page.evaluate(TOP_LINK)
        if href is None:
            return None
        path, _, anchor = urljoin(self.page.url, href).partition("#")
        return path.split("?")[0][len(self.lang_root):] + (f"#{anchor}" if anchor else "")

    def pages(self) -> list[str]:
        """The result pages shown now (paths relative to the site root, anchors dropped)."""
        return self.distinct(self.page.eval_on_selector_all(RESULT_LINKS, "links => links.map(a => a.href)"))

    def distinct(self, hrefs: list[str]) -> list[str]:
        """The pages `hrefs` link to, in order, once each (?h= highlights and anchors dropped)."""
        return list(dict.fromkeys(urljoin(self.page.url, href).split("#")[0].split("?")[0] for href in hrefs))


class ImeTyping:
    """Types Korean through the DevTools protocol as an IME does: per key, keydown 229, the composition, keyup; a syllable
    is committed (Input.insertText) when the next one starts. The states come from tests/hangul.py, not the worker."""

    def __init__(self, page):
        self.page, self.cdp, self.done = page, page.context.new_cdp_session(page), ""

    def key(self, kind: str) -> None:
        self.cdp.send("Input.dispatchKeyEvent", {"type": kind, "key": "Process", "windowsVirtualKeyCode": 229,
                                                 "nativeVirtualKeyCode": 229})

    def show(self, state: str) -> None:
        """Moves the box from its current text to `state`, one key's worth."""
        self.key("keyDown")
        composing = state[-1:] if state and ("\uac00" <= state[-1] <= "\ud7a3" or "\u3131" <= state[-1] <= "\u3163") else ""
        committed = state[:len(state) - len(composing)]
        if committed != self.done:
            self.cdp.send("Input.insertText", {"text": committed[len(self.done):]})
            self.done = committed
        if composing:
            self.cdp.send("Input.imeSetComposition", {"text": composing, "selectionStart": 1, "selectionEnd": 1})
        self.key("keyUp")

    def commit(self, state: str) -> None:
        """Ends the composition (Input.insertText of the syllable being composed) with no key event."""
        if state != self.done:
            self.cdp.send("Input.insertText", {"text": state[len(self.done):]})
            self.done = state
