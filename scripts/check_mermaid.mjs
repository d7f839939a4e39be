// Parses Mermaid diagrams with the pinned Mermaid: reads [{where, source}] as JSON on stdin,
// prints "where: message" for each diagram that does not parse, and exits 1 if any failed.
import { JSDOM } from "jsdom";

const { window } = new JSDOM("");
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import("mermaid");

let input = "";
for await (const chunk of process.stdin) input += chunk;

let failed = 0;
for (const { where, source } of JSON.parse(input)) {
  try {
    await mermaid.parse(source);
  } catch (error) {
    failed += 1;
    console.log(`${where}: ${String(error.message ?? error).split("\n").slice(0, 4).join(" | ")}`);
  }
}
process.exit(failed ? 1 : 0);
