// Search box additions (extra_javascript, runs before Material's bundle): search on every change of the box, not only
// on keyup (paste, drop, emoji picker, IME commit); "showing results for" when the worker (search-korean.js) corrected
// the query, with a button to search exactly what was typed; a note when it searched only the start of a long query;
// the neutral prompt for a query of only spaces; a Korean label while the index loads.
"use strict";

(() => {
  const input = document.querySelector("input[data-md-component=search-query]");
  const meta = document.querySelector(".md-search-result__meta");
  if (!input || !meta) return;
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

  // Material reads the box on keyup only: hand it every other change as well (it ignores repeats of a value).
  const update = () => input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  input.addEventListener("input", update);
  input.addEventListener("compositionend", update);

  // A query of only spaces is no query: the prompt, not "no results".
  new MutationObserver(() => {
    const prompt = translations["search.result.placeholder"];
    if (prompt && input.value && !input.value.trim() && meta.textContent !== prompt) meta.textContent = prompt;
  }).observe(meta, { childList: true, characterData: true, subtree: true });

  // The notice, between the count and the list: a live region (role=status) that is always there, so screen readers
  // hear what is put in it; empty, it takes no room.
  const notice = document.createElement("div");
  notice.className = "md-search-result__notice";
  notice.setAttribute("role", "status");
  meta.after(notice);
  let worker = null;

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
    exact.style.cssText = "font:inherit;color:inherit;background:none;border:0;padding:0;text-decoration:underline;cursor:pointer";
    exact.textContent = TEXT.instead(searched.typed);
    exact.addEventListener("click", () => {
      worker.postMessage({ type: 2, data: searched.typed, exact: true }); // Material's QUERY, left as typed
      input.focus();
    });
    const line = document.createElement("div");
    line.className = "md-search-result__meta"; // styled like the count above it
    line.append(TEXT.showing(searched.searched) + " ", exact);
    notice.append(line);
  }

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
