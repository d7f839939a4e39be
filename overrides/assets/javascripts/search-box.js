// Search box additions (extra_javascript, runs before Material's bundle): search on every change of the box, not only
// on keyup (paste, drop, emoji picker, IME commit); "showing results for" when the worker (search-korean.js) corrected
// the query, with a button to search exactly what was typed (Tab reaches it); a note when it searched only the start
// of a long query; the neutral prompt for a query of only spaces; a Korean label while the index loads; a hint when
// nothing matches; what was found announced to screen readers once the query has settled; and Escape gives focus back
// to where it was before search opened.
"use strict";

(() => {
  const input = document.querySelector("input[data-md-component=search-query]");
  const meta = document.querySelector(".md-search-result__meta");
  const toggle = document.getElementById("__search");
  if (!input || !meta || !toggle) return;
  const ko = document.documentElement.lang === "ko";
  const config = JSON.parse(document.getElementById("__config")?.textContent || "{}");
  const translations = config.translations || {};
  const quote = text => `‘${text}’`;
  const TEXT = ko
    ? { loading: "검색을 준비하는 중입니다", showing: s => `${quote(s)} 검색 결과입니다.`, instead: t => `${quote(t)} 그대로 검색하기`,
      cut: n => `검색어가 길어 앞의 ${n}자만 검색했습니다.` }
    : { loading: "Loading search", showing: s => `Showing results for ${quote(s)}.`, instead: t => `Search instead for ${quote(t)}`,
      cut: n => `The query is long: only its first ${n} characters were searched.` };

  // Material shows "검색 초기화" ("reset search") while the index loads; say what is happening instead.
  meta.textContent = TEXT.loading;
  const SETTLED_MS = 700; // no change of the box for this long: the reader has stopped typing

  // Material reads the box on keyup only: hand it every other change as well (it ignores repeats of a value).
  const update = () => input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  input.addEventListener("input", update);
  input.addEventListener("compositionend", update);

  // The notice, between the count and the list; empty, it takes no room. It is not a live region itself (one
  // announcement per settled query, below); tests of the search worker read its role.
  const notice = document.createElement("div");
  notice.className = "md-search-result__notice";
  notice.setAttribute("role", "status");
  notice.setAttribute("aria-live", "off");
  meta.after(notice);
  // "No results": a hint (overrides/main.html's template: the glossary, and the search-miss issue form).
  const hint = document.getElementById("search-hint")?.content.firstElementChild;
  // What screen readers hear: the notice, the count (or "no results" and the hint), once the query has settled.
  const live = document.createElement("div");
  live.className = "md-search-result__live";
  live.setAttribute("role", "status");
  input.form.after(live); // not inside the result: Material writes its count into the result's first child
  let worker = null, settle = 0, said = "";

  function announce() {
    clearTimeout(settle);
    settle = setTimeout(() => {
      if (!toggle.checked || !input.value.trim()) return;
      const text = [notice.textContent, meta.textContent, hint?.isConnected ? hint.textContent : ""]
        .map(t => t.replace(/\s+/g, " ").trim()).filter(Boolean).join(" ");
      if (text === said && live.textContent) return;
      said = text;
      live.textContent = text;
    }, SETTLED_MS);
  }
  input.addEventListener("input", () => clearTimeout(settle));

  // Material rewrites the count for every result: a query of only spaces gets the prompt, no match gets the hint.
  new MutationObserver(() => {
    const prompt = translations["search.result.placeholder"];
    if (prompt && input.value && !input.value.trim() && meta.textContent !== prompt) meta.textContent = prompt;
    const none = meta.textContent.trim() === translations["search.result.none"];
    if (hint && none !== hint.isConnected) {
      if (none) notice.after(hint);
      else hint.remove();
    }
    if (none && hint) {
      const report = hint.querySelector("a[href*='/issues/new']");
      if (report) {
        const url = new URL(report.href);
        url.searchParams.set("query", input.value);
        report.href = url.href;
      }
    }
    announce();
  }).observe(meta, { childList: true, characterData: true, subtree: true });

  function show(searched, cut) {
    notice.replaceChildren();
    if (cut) { // the worker searched only the first `cut` characters (search-korean.js MAX_QUERY)
      const note = document.createElement("div");
      note.className = "md-search-result__meta";
      note.textContent = TEXT.cut(cut);
      notice.append(note);
    }
    if (!searched) return;
    const exact = document.createElement("button");
    exact.type = "button";
    exact.className = "md-search-result__exact";
    exact.textContent = TEXT.instead(searched.typed);
    exact.addEventListener("click", () => {
      worker.postMessage({ type: 2, data: searched.typed, exact: true }); // Material's QUERY, left as typed
      input.focus();
    });
    // Tab from the box reaches the button (Material's Tab would close search); Shift+Tab goes back to the box.
    exact.addEventListener("keydown", event => {
      if (event.key !== "Tab") return;
      event.stopPropagation();
      if (event.shiftKey) {
        event.preventDefault();
        input.focus();
      }
    });
    const line = document.createElement("div");
    line.className = "md-search-result__meta"; // styled like the count above it
    line.append(TEXT.showing(searched.searched) + " ", exact);
    notice.append(line);
  }
  input.addEventListener("keydown", event => {
    const exact = notice.querySelector("button");
    if (event.key !== "Tab" || event.shiftKey || !exact || !toggle.checked) return;
    event.preventDefault();
    event.stopPropagation();
    exact.focus();
  });

  // Escape closes search (Material) and gives focus back to what had it before search opened.
  let before = null;
  document.addEventListener("focusin", event => {
    if (!event.target.closest(".md-search")) before = event.target;
  });
  addEventListener("keydown", event => {
    if (event.key !== "Escape" || !toggle.checked) return;
    const back = before;
    setTimeout(() => { if (!toggle.checked && back?.isConnected && back.checkVisibility()) back.focus(); });
  }, true);

  // Listen to the search worker's results (Material creates the worker after this file has run).
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      if (String(url).includes("/workers/search")) {
        worker = this;
        this.addEventListener("message", ({ data }) => data && data.type === 3 && show(data.data.searched, data.data.cut));
      }
    }
  };
})();
