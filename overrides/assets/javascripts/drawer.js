// The navigation drawer of narrow screens (below 76.25em), by keyboard (extra_javascript, deferred): the header's menu
// button (a real button with aria-expanded, overrides/partials/header.html) opens it and moves focus into it; while it
// is open the rest of the page is inert; Escape closes it and gives focus back to the button. The current page's
// contents, a level of their own in the drawer below 60em, open and close the same way from their entry.
"use strict";

(() => {
  const drawer = document.getElementById("__drawer");
  const button = document.querySelector(".md-header__menu");
  const sidebar = document.querySelector(".md-sidebar--primary");
  if (!drawer || !button || !sidebar) return;
  const narrow = matchMedia("(max-width: 76.234375em)");
  const contents = document.getElementById("__toc");
  const opener = sidebar.querySelector("label.md-nav__link[for='__toc']");
  const back = sidebar.querySelector("label.md-nav__title[for='__toc']");
  const firstLink = within => within.querySelector("a[href]");
  let inert = [];

  function sync() { // after every change of the drawer: the button's state, and everything but the drawer inert
    const open = drawer.checked && narrow.matches;
    button.setAttribute("aria-expanded", String(open));
    inert.forEach(element => { element.inert = false; });
    inert = [];
    if (open)
      for (let element = sidebar; element.parentElement !== document.documentElement; element = element.parentElement)
        for (const sibling of element.parentElement.children)
          if (sibling !== element && !sibling.matches("input, script, label.md-overlay")) inert.push(sibling);
    inert.forEach(element => { element.inert = true; });
  }
  function close() {
    if (drawer.checked) drawer.click();
    button.focus();
  }
  button.addEventListener("click", () => {
    drawer.click();
    if (drawer.checked) firstLink(sidebar)?.focus();
  });
  drawer.addEventListener("change", sync);
  narrow.addEventListener("change", () => { if (!narrow.matches && drawer.checked) drawer.click(); sync(); });

  // The contents level: its entry and its title are buttons (Material's labels, given a role and a tab stop).
  for (const label of [opener, back]) {
    if (!label || !contents) continue;
    label.tabIndex = 0;
    label.setAttribute("role", "button");
    label.addEventListener("keydown", event => {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      event.stopPropagation(); // Material clicks a focused label on Enter too
      label.click();
    });
  }
  const syncContents = () => {
    opener?.setAttribute("aria-expanded", String(contents.checked));
    back?.setAttribute("aria-expanded", String(contents.checked));
  };
  if (contents) {
    syncContents();
    contents.addEventListener("change", () => {
      syncContents();
      if (!sidebar.contains(document.activeElement)) return;
      if (contents.checked) firstLink(contents.parentElement.querySelector(".md-nav--secondary"))?.focus();
      else opener?.focus();
    });
  }

  addEventListener("keydown", event => {
    if (event.key !== "Escape" || !drawer.checked || !narrow.matches) return;
    if (contents?.checked && opener?.checkVisibility()) contents.click(); // first the contents level, then the drawer
    else close();
  });
})();
