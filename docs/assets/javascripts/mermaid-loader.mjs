// Mermaid on demand for Material's diagram renderer. Material finds this global `mermaid` (so it never fetches
// Mermaid from a CDN) and calls initialize() and render() for each diagram. The pinned Mermaid, copied from
// node_modules by hooks/diagrams.py, is imported only when a diagram comes near the viewport or the page is printed.
const pending = new Map(); // diagram source -> resolve() of its wait
let settings = {};
let loading;

function mermaidModule() {
  loading ||= import("./mermaid/mermaid.esm.min.mjs").then(({ default: mermaid }) => {
    mermaid.initialize(settings);
    return mermaid;
  });
  return loading;
}

const observer = new IntersectionObserver(
  entries => {
    for (const entry of entries.filter(e => e.isIntersecting)) {
      observer.unobserve(entry.target);
      pending.get(entry.target.textContent)?.();
    }
  },
  { rootMargin: "100% 0px" },
);

/** Resolves when the diagram with this source is near the viewport. */
function nearViewport(source) {
  const element = [...document.querySelectorAll("pre.mermaid")].find(e => e.textContent === source);
  if (!element) return Promise.resolve();
  return new Promise(resolve => {
    pending.set(source, resolve);
    observer.observe(element);
  });
}

// Printing needs every diagram: render the rest as soon as a print starts.
addEventListener("beforeprint", () => [...pending.values()].forEach(resolve => resolve()));

window.mermaid = {
  initialize(options) {
    settings = options;
  },
  async render(id, source) {
    await nearViewport(source);
    return (await mermaidModule()).render(id, source);
  },
};
export default window.mermaid; // mkdocs-mermaid2-plugin's page script imports it
