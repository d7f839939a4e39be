// Loads the pinned Mermaid (copied from node_modules by hooks/mermaid_assets.py) and exposes it as the
// global `mermaid`, so Material renders the diagrams with it instead of fetching Mermaid from a CDN.
import mermaid from "./mermaid/mermaid.esm.min.mjs";

window.mermaid = mermaid;
export default mermaid;
