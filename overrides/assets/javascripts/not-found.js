// The 404 pages (overrides/404.html; a blocking script in <head>, so the Korean page is left before it is painted).
// GitHub Pages serves the Korean 404 for every missing address: for one under en/ it loads the English 404, telling it
// the address in #from=. The English 404 puts that address back in the address bar, but only a normalized path of the
// English site on this origin, exactly as location gives it (no "..", no "//host", no other scheme; security review I3).
"use strict";

(() => {
  const en = document.currentScript.dataset.english; // the English site's path, e.g. "/aws-basics/en/"
  const page = en + "404.html";
  if (location.pathname !== page) {
    if (location.pathname.startsWith(en)) location.replace(`${page}#from=${encodeURIComponent(location.pathname + location.search + location.hash)}`);
    return;
  }
  const from = typedAddress(/^#from=(.+)$/.exec(location.hash)?.[1]);
  if (from) history.replaceState(null, "", from);

  function typedAddress(encoded) { // the address if it is one the Korean 404 could have sent, else null
    try {
      const from = decodeURIComponent(encoded);
      const url = new URL(from, location.href);
      const normal = url.pathname + url.search + url.hash;
      return url.origin === location.origin && normal === from && url.pathname.startsWith(en) ? from : null;
    } catch { // no #from=, a malformed %-escape or an address that does not parse
      return null;
    }
  }
})();
