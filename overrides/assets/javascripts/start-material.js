// Starts Material after the first paint (extra_javascript, deferred): once the page is parsed and painted, the bundle
// that overrides/main.html preloads at low priority (link[data-material-bundle]) runs, and is given the document in a
// task of its own through window.document$, the observable Material publishes for extra scripts. A file, not an inline
// script, so that the Content Security Policy (hooks/csp.py) needs no hash for it.
"use strict";

addEventListener("DOMContentLoaded", () => requestAnimationFrame(() => setTimeout(() => document.body.append(Object.assign(
  document.createElement("script"), {
    src: document.querySelector("link[data-material-bundle]").href,
    onload: () => setTimeout(() => document$.next(document)),
  })))));
