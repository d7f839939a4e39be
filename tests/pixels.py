"""Contrast measured on what the screen shows: screenshot pixels, not computed styles (forced colours and transparent
backgrounds make computed styles lie). Screenshots are decoded by the page's own browser (createImageBitmap)."""

from __future__ import annotations

import base64

# The colours of a PNG and how many pixels each covers, most common first (colours under `share` of the pixels dropped),
# for each band of its columns asked for: [from, to) in pixels, negative from the right edge (null: the edge itself);
# a band of null is the whole image.
COLOURS = """async ([png, share, bands]) => {
  const bytes = Uint8Array.from(atob(png), c => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d");
  context.drawImage(bitmap, 0, 0);
  const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const column = x => x < 0 ? Math.max(bitmap.width + x, 0) : Math.min(x, bitmap.width);
  return bands.map(band => {
    const [from, to] = [column(band?.[0] ?? 0), column(band?.[1] ?? bitmap.width)];
    const counts = new Map();
    for (let y = 0; y < bitmap.height; y++)
      for (let x = from; x < to; x++) {
        const i = (y * bitmap.width + x) * 4, key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        counts.set(key, (counts.get(key) || 0) + 1);
      }
    const total = (to - from) * bitmap.height;
    return [...counts].filter(([, n]) => n >= share * total).sort((a, b) => b[1] - a[1])
      .map(([key, n]) => [[key >> 16, (key >> 8) & 255, key & 255], n / total]);
  });
}"""


def luminance(rgb) -> float:
    def channel(v):
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    x, y = sorted((luminance(a), luminance(b)), reverse=True)
    return (x + 0.05) / (y + 0.05)


def colours(page, clip: dict, share: float = 0.004, bands: list | None = None) -> list:
    """[(rgb, share of pixels)] in a region of the viewport ({x, y, width, height} in CSS px), most common first; with
    `bands` (column ranges, as COLOURS takes them), one such list for each band, from one screenshot."""
    png = page.screenshot(clip={k: clip[k] for k in ("x", "y", "width", "height")}, animations="disabled")
    found = page.evaluate(COLOURS, [base64.b64encode(png).decode(), share, bands or [None]])
    return found if bands else found[0]


def strongest(page, clip: dict, share: float = 0.004) -> tuple[float, list[int], list[int]]:
    """(contrast, background, foreground): the most common colour of the region against the colour that stands out
    most from it among those covering at least `share` of it (text glyphs, a line, a ring)."""
    found = colours(page, clip, share)
    background = found[0][0]
    foreground = max((rgb for rgb, _ in found), key=lambda rgb: contrast(rgb, background))
    return contrast(foreground, background), background, foreground


def rect(page, selector_or_handle, pad: float = 0) -> dict:
    """The viewport rectangle of an element (scrolled into view), grown by `pad` px and kept inside the viewport."""
    handle = page.locator(selector_or_handle).first if isinstance(selector_or_handle, str) else selector_or_handle
    handle.scroll_into_view_if_needed()
    box = handle.evaluate("""(e, pad) => { const r = e.getBoundingClientRect();
      const x = Math.max(0, r.left - pad), y = Math.max(0, r.top - pad);
      return { x, y, width: Math.min(innerWidth, r.right + pad) - x, height: Math.min(innerHeight, r.bottom + pad) - y }; }""",
                          pad)
    return box


def edge_cue(page, box, side: str = "right") -> float:
    """Contrast of a scroll cue: the pixels along the box's inner edge (2 px) against the box's most common colour."""
    edge, inside = colours(page, rect(page, box), bands=[[-2, None] if side == "right" else [0, 2], None])
    return contrast(edge[0][0], inside[0][0])
