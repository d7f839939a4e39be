// Korean-aware search for Material 9.8.x's search worker. hooks/material_patches.py makes the worker load
// this file first, so this listener sees each message before Material's own handler does.
//  - Index: a segmenter (Material's hook for Japanese) splits Hangul words into known stems and particles,
//    so "가용영역", "가용 영역" and "영역에서" all index the stems 가용 / 영역.
//  - Query: the same segmentation drops particles and splits compounds ("가용영역은" -> "가용 영역"), and
//    English words are stemmed before Material appends "*" ("zones" -> "zone*").
"use strict";

(() => {
  const SETUP = 0; // Material's SearchMessageType.SETUP
  const QUERY = 2; // Material's SearchMessageType.QUERY
  const HANGUL = /[\uac00-\ud7a3]/;
  const RUNS = /[\uac00-\ud7a3]+|[^\uac00-\ud7a3]+/g;
  // Korean particles and endings that attach to nouns, longest first.
  const PARTICLES = [
    "에서부터", "으로부터", "에서는", "에서도", "에서의", "으로는", "으로도", "으로의", "이라는", "까지는",
    "에서", "에게", "으로", "부터", "까지", "마다", "처럼", "보다", "이나", "이며", "이고", "이란", "에는",
    "에도", "와의", "과의", "로는", "로도", "로의", "라는", "만큼", "이다", "입니다", "하는", "하고", "하여",
    "은", "는", "이", "가", "을", "를", "에", "의", "와", "과", "도", "만", "로", "랑", "나", "란",
  ].sort((a, b) => b.length - a.length);
  const IS_PARTICLE = new Set(PARTICLES);
  const stems = new Set();

  /**
   * Splits a Hangul word into known pieces that cover it, or null. Pieces are learned stems (one-syllable ones
   * such as 존 and 및 included) and particles. Fewest one-syllable pieces wins, then most pieces,
   * so "가용영역은" -> 가용 / 영역 / 은 rather than the whole word.
   */
  function cover(word) {
    const best = [{ singles: 0, pieces: [] }];
    for (let end = 1; end <= word.length; end++) {
      for (let start = Math.max(0, end - 12); start < end; start++) {
        const piece = word.slice(start, end);
        const single = piece.length === 1;
        if (!best[start] || !(stems.has(piece) || IS_PARTICLE.has(piece))) continue;
        const candidate = { singles: best[start].singles + single, pieces: [...best[start].pieces, piece] };
        const current = best[end];
        if (!current || candidate.singles < current.singles
            || (candidate.singles === current.singles && candidate.pieces.length > current.pieces.length))
          best[end] = candidate;
      }
    }
    const found = best[word.length];
    return found && found.pieces.length ? found.pieces : null;
  }

  /** Splits a trailing particle off a word whose stem keeps 2+ syllables: [stem, particle], or null. */
  function stripParticle(word) {
    const particle = PARTICLES.find(p => word.length - p.length >= 2 && word.endsWith(p));
    return particle ? [word.slice(0, -particle.length), particle] : null;
  }

  /** Segments a Hangul word: known pieces, else an unknown stem plus a particle, else the word itself. */
  function segmentHangul(word) {
    return cover(word) || stripParticle(word) || [word];
  }

  /** Segments any token: Hangul runs as above, other runs (ASCII, digits) kept whole. */
  function segment(token) {
    return (token.match(RUNS) || []).flatMap(run => (HANGUL.test(run) ? segmentHangul(run) : [run]));
  }

  /** The stem a Hangul word contributes to the dictionary: itself, or itself without a particle. */
  function learn(word) {
    if (!IS_PARTICLE.has(word)) stems.add((stripParticle(word) || [word])[0]);
  }

  /** Segmenter in the shape Material expects of lunr.TinySegmenter (ctype_ + segment). */
  class KoreanSegmenter {
    ctype_(text) {
      return HANGUL.test(text) ? "H" : "O";
    }
    segment(text) {
      return segment(text);
    }
  }

  /** Rewrites one query term: particles dropped, compounds split, English stemmed; modifiers kept. */
  function rewriteTerm(term) {
    const [, modifier, body] = term.match(/^([+-]?)(.*)$/s);
    if (!body || /[*~^:"\\]/.test(body)) return term;
    const { stemmer, stopWordFilter, Token } = self.lunr;
    const words = segment(body.toLowerCase())
      .filter(piece => !IS_PARTICLE.has(piece))
      .filter(piece => !/^[a-z]+$/.test(piece) || stopWordFilter(new Token(piece)))
      .map(piece => (/^[a-z]+$/.test(piece) ? stemmer(new Token(piece)).toString() : piece));
    return words.map(word => modifier + word).join(" ");
  }

  function rewriteQuery(query) {
    try {
      return query.split(/(\s+)/).map(part => (/^\s*$/.test(part) ? part : rewriteTerm(part))).join("");
    } catch (error) {
      return query; // never break search: fall back to Material's own handling
    }
  }

  addEventListener("message", event => {
    const message = event.data;
    if (message.type === SETUP) {
      const tags = /<[^>]*>/g;
      for (const doc of message.data.docs)
        for (const field of [doc.title, doc.text, doc.keywords])
          for (const word of String(field || "").replace(tags, " ").match(/[\uac00-\ud7a3]+/g) || []) learn(word);
      self.lunr.TinySegmenter = KoreanSegmenter; // Material instantiates it as lunr.segmenter
    } else if (message.type === QUERY && typeof message.data === "string") {
      message.data = rewriteQuery(message.data);
    }
  });
})();
