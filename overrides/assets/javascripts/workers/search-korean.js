// Korean-aware, forgiving search for Material 9.8.x's search worker. hooks/material_patches.py makes the worker load
// this file first, so this listener sees each message before Material's own handler does.
//  - Index: a segmenter (Material's hook for Japanese) splits Hangul words into known stems and particles,
//    so "가용영역", "가용 영역" and "영역에서" all index the stems 가용 / 영역.
//  - Vocabulary: at setup, every indexed word with its 두벌식 keystrokes (jamo) and initial consonants, plus the
//    glossary's names and the page for each term (config.glossary, from hooks/search_index.py).
//  - Query: each word is kept when the index knows it (particles dropped, compounds split, English stemmed); else
//    completed at the jamo level (a syllable still being composed), else read as 초성, as the other keyboard layout,
//    or corrected to the nearest known word (jamo / Damerau-Levenshtein, more edits allowed for longer words).
//    Exact words weigh more than completions and corrections; pages titled by the query, and the page that
//    explains a glossary term or concept named by it, come first, with that section at the top of the page's result;
//    English still being typed ranks first the glossary names it begins as typed ("aws-c" -> aws-cn, "provision" ->
//    provisioned concurrency), unless it is a whole name itself.
//    An everyday word the site never uses (config.common) is never corrected or converted into a site word.
//    A RESULT says what was searched when it differs from what was typed, and that the query was cut when it was
//    longer than MAX_QUERY characters (search-box.js shows both). Each step is linear in the query or memoized.
"use strict";

(() => {
  const SETUP = 0; // Material's SearchMessageType.SETUP
  const QUERY = 2; // Material's SearchMessageType.QUERY
  const RESULT = 3; // Material's SearchMessageType.RESULT
  const HANGUL = /[\uac00-\ud7a3]/;
  const KOREAN = /[\uac00-\ud7a3\u3131-\u3163]/; // syllables and compatibility jamo
  const RUNS = /[\uac00-\ud7a3\u3131-\u3163]+|[^\uac00-\ud7a3\u3131-\u3163]+/g;
  // Korean particles and endings that attach to nouns, longest first.
  const PARTICLES = [
    "에서부터", "으로부터", "에서는", "에서도", "에서의", "으로는", "으로도", "으로의", "이라는", "까지는",
    "에서", "에게", "으로", "부터", "까지", "마다", "처럼", "보다", "이나", "이며", "이고", "이란", "에는",
    "에도", "와의", "과의", "로는", "로도", "로의", "라는", "만큼", "이다", "입니다", "하는", "하고", "하여",
    "은", "는", "이", "가", "을", "를", "에", "의", "와", "과", "도", "만", "로", "랑", "나", "란",
  ].sort((a, b) => b.length - a.length);
  const IS_PARTICLE = new Set(PARTICLES);
  // Words of a question that are not what it asks about: interrogatives, and verb endings of questions/requests.
  const QUESTION_WORDS = new Set(["무엇", "뭐", "뭔", "뭘", "무슨", "어떤", "어떻게", "어디", "어디서", "언제", "왜",
    "누가", "누구", "얼마", "얼마나", "몇", "어느", "뜻", "의미", "설명", "알려", "좀", "대해", "대해서", "관해"]);
  const QUESTION_ENDING = /(나요|가요|까요|니까|세요|해요|예요|에요|나|니|냐|죠|까|줘|해)$/;
  const ENGLISH_FILLER = new Set(["what", "s", "how", "why", "when", "where", "which", "who", "does", "do", "is",
    "are", "a", "an", "the", "mean", "means", "meaning", "explain", "tell", "me", "about", "use", "used", "for", "of",
    "work", "works", "happen", "should", "can", "i", "we", "you", "it", "its", "please"]);
  const EXACT = 10, PREFIX = 1, COMPLETION = 2, CORRECTED = 5; // clause boosts
  const INITIALS_READ = 5; // phrases searched for a 초성 query, boosted CORRECTED, CORRECTED - 1, …
  const MAX_QUERY = 200; // characters of a query that are searched; the rest is ignored, and the RESULT says so
  const CUT_SECTIONS = 3; // sections listed per page for a cut query
  const PREFIX_NAME = 4; // characters from which an English prefix completes to the glossary names it starts

  // ---- Hangul and the 두벌식 keyboard -------------------------------------------------------------------------
  const INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";
  const MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ";
  const FINALS = ["", ..."ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"];
  // Compound jamo as the keys typed for them.
  const SPLIT = { ㄳ: "ㄱㅅ", ㄵ: "ㄴㅈ", ㄶ: "ㄴㅎ", ㄺ: "ㄹㄱ", ㄻ: "ㄹㅁ", ㄼ: "ㄹㅂ", ㄽ: "ㄹㅅ", ㄾ: "ㄹㅌ", ㄿ: "ㄹㅍ",
    ㅀ: "ㄹㅎ", ㅄ: "ㅂㅅ", ㅘ: "ㅗㅏ", ㅙ: "ㅗㅐ", ㅚ: "ㅗㅣ", ㅝ: "ㅜㅓ", ㅞ: "ㅜㅔ", ㅟ: "ㅜㅣ", ㅢ: "ㅡㅣ" };
  const JOIN = Object.fromEntries(Object.entries(SPLIT).map(([k, v]) => [v, k]));
  // 두벌식: the Latin key under each jamo (shifted keys give the tense consonants and ㅒ ㅖ).
  const LAYOUT = { ㄱ: "r", ㄲ: "R", ㄴ: "s", ㄷ: "e", ㄸ: "E", ㄹ: "f", ㅁ: "a", ㅂ: "q", ㅃ: "Q", ㅅ: "t", ㅆ: "T", ㅇ: "d",
    ㅈ: "w", ㅉ: "W", ㅊ: "c", ㅋ: "z", ㅌ: "x", ㅍ: "v", ㅎ: "g", ㅏ: "k", ㅐ: "o", ㅑ: "i", ㅒ: "O", ㅓ: "j", ㅔ: "p",
    ㅕ: "u", ㅖ: "P", ㅗ: "h", ㅛ: "y", ㅜ: "n", ㅠ: "b", ㅡ: "m", ㅣ: "l" };
  const FROM_LATIN = Object.fromEntries(Object.entries(LAYOUT).map(([jamo, key]) => [key, jamo]));
  const isVowel = jamo => jamo.length === 1 && MEDIALS.includes(jamo);

  /** The keys typed for a text: each syllable as its jamo keystrokes; other characters kept. */
  function keys(text) {
    let out = "";
    for (const ch of text) {
      const code = ch.charCodeAt(0) - 0xac00;
      if (code >= 0 && code < 11172) {
        out += INITIALS[Math.floor(code / 588)] + (SPLIT[MEDIALS[Math.floor(code / 28) % 21]] || MEDIALS[Math.floor(code / 28) % 21])
          + (SPLIT[FINALS[code % 28]] || FINALS[code % 28]);
      } else out += SPLIT[ch] || ch;
    }
    return out;
  }

  /** Initial consonants of each syllable ("서버리스" -> "ㅅㅂㄹㅅ"). */
  function initials(text) {
    return [...text].map(ch => (HANGUL.test(ch) ? INITIALS[Math.floor((ch.charCodeAt(0) - 0xac00) / 588)] : "")).join("");
  }

  /** Composes jamo keystrokes into syllables as a 두벌식 IME does ("ㄹㅏㅁㄷㅏ" -> "람다"). */
  function compose(jamo) {
    const ks = [...jamo];
    let out = "";
    let i = 0;
    while (i < ks.length) {
      const lead = ks[i];
      if (!INITIALS.includes(lead) || !isVowel(ks[i + 1] || "")) {
        out += lead;
        i += 1;
        continue;
      }
      let vowel = ks[i + 1];
      i += 2;
      if (JOIN[vowel + ks[i]]) vowel = JOIN[vowel + ks[i++]];
      let tail = "";
      // A consonant is this syllable's final unless a vowel follows it (then it starts the next syllable).
      if (FINALS.includes(ks[i]) && !isVowel(ks[i + 1] || "")) {
        tail = ks[i++];
        if (JOIN[tail + ks[i]] && FINALS.includes(JOIN[tail + ks[i]]) && !isVowel(ks[i + 1] || "")) tail = JOIN[tail + ks[i++]];
      }
      out += String.fromCharCode(0xac00 + INITIALS.indexOf(lead) * 588 + MEDIALS.indexOf(vowel) * 28 + FINALS.indexOf(tail));
    }
    return out;
  }

  /** Latin keystrokes typed with the Korean layout in mind ("fkaek" -> "람다"); null if some key has no jamo. */
  function latinToHangul(text) {
    const jamo = [...text].map(ch => FROM_LATIN[ch] || FROM_LATIN[ch.toLowerCase()]);
    return jamo.every(Boolean) ? compose(jamo.join("")) : null;
  }

  /** Hangul typed with the English layout in mind ("ㅣ므ㅠㅇㅁ" -> "lambda"); null if not all Korean. */
  function hangulToLatin(text) {
    const ks = [...keys(text)];
    return ks.every(k => LAYOUT[k]) ? ks.map(k => LAYOUT[k].toLowerCase()).join("") : null;
  }

  /** Damerau-Levenshtein (optimal string alignment) distance, giving up above `max` (a, b: strings or arrays of characters). */
  function distance(a, b, max = Infinity) {
    const x = Array.isArray(a) ? a : [...a], y = Array.isArray(b) ? b : [...b];
    if (Math.abs(x.length - y.length) > max) return max + 1;
    let prev2 = [], prev = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
      const row = [i];
      let best = i;
      for (let j = 1; j <= y.length; j++) {
        const cost = x[i - 1] === y[j - 1] ? 0 : 1;
        let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
        row.push(d);
        best = Math.min(best, d);
      }
      if (best > max) return max + 1;
      [prev2, prev] = [prev, row];
    }
    return prev[y.length];
  }

  /** Edits forgiven in a word: none for short words, more as they grow (Korean counted in keystrokes). */
  function tolerance(word) {
    const n = [...(KOREAN.test(word) ? keys(word) : word)].length;
    return KOREAN.test(word) ? (n < 7 ? 0 : n < 13 ? 1 : 2) : (n < 5 ? 0 : n < 9 ? 1 : 2);
  }

  // ---- Segmentation (index and query) -------------------------------------------------------------------------
  const stems = new Set();

  /**
   * Splits a Hangul word into known pieces that cover it, or null. Pieces are learned stems (one-syllable ones
   * such as 존 and 및 included) and particles. Fewest one-syllable pieces wins, then most pieces,
   * so "가용영역은" -> 가용 / 영역 / 은 rather than the whole word.
   */
  function cover(word) {
    return piecesOf(word, covers(word), word.length);
  }

  /** The best cover of every prefix of a word, in one pass (each end tried against the 12 starts before it), memoized;
   * each entry counts its pieces, one-syllable pieces and content pieces, and points back to where its last piece starts. */
  const coverMemo = new Map();
  function covers(word) {
    if (coverMemo.has(word)) return coverMemo.get(word);
    const best = [{ singles: 0, count: 0, content: 0, multi: 0, from: -1 }];
    for (let end = 1; end <= word.length; end++) {
      for (let start = Math.max(0, end - 12); start < end; start++) {
        const piece = word.slice(start, end);
        if (!best[start] || !(stems.has(piece) || IS_PARTICLE.has(piece))) continue;
        const before = best[start], content = !IS_PARTICLE.has(piece);
        const candidate = { singles: before.singles + (piece.length === 1), count: before.count + 1, from: start,
          content: before.content + content, multi: before.multi + (content && piece.length > 1) };
        const current = best[end];
        if (!current || candidate.singles < current.singles
            || (candidate.singles === current.singles && candidate.count > current.count))
          best[end] = candidate;
      }
    }
    if (coverMemo.size > 5000) coverMemo.clear();
    coverMemo.set(word, best);
    return best;
  }

  /** The pieces of the best cover of word.slice(0, end) (from covers(word)), or null. */
  function piecesOf(word, best, end) {
    if (!best[end] || !best[end].count) return null;
    const pieces = [];
    for (let at = end; at > 0; at = best[at].from) pieces.push(word.slice(best[at].from, at));
    return pieces.reverse();
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
    return (token.match(/[\uac00-\ud7a3]+|[^\uac00-\ud7a3]+/g) || []).flatMap(run => (HANGUL.test(run) ? segmentHangul(run) : [run]));
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

  // ---- Vocabulary -----------------------------------------------------------------------------------------------
  const vocab = {
    latin: new Map(), // English word -> weight
    latinStems: new Set(),
    hangul: [], // [keys, stem, weight], heaviest first: completions at the jamo level
    known: [], // {word, form, hangul, chars: keys or letters, weight} of titles, keywords and glossary names: corrections, 초성
    initials: new Map(), // 초성 -> [phrase], whole names first, then the most used
    titles: new Map(), // normalised name -> locations it names (page titles, glossary names and concept words)
    sections: new Map(), // normalised section title -> its location
    answers: new Map(), // normalised glossary name or concept word -> the section that explains it
    concepts: new Set(), // normalised concept words (their section answers before a term's)
    prefixes: [], // [English glossary name as plainName(name, "-"), page, section], shortest first: as-you-type completion
    plain: new Set(), // titles, glossary names and concept words, as plainName(name)
    longest: 1, // most words in a title or name: the longest part of a query worth looking up
    common: new Set(), // everyday words the site never uses, near a site word (config.common, from the index hook)
    docs: new Map(), // location -> document, for a section that answers a query without matching it
    joined: new Map(), // English name without spaces -> the name ("edgelocation" -> "edge location")
  };

  const stem = word => self.lunr.stemmer(new self.lunr.Token(word)).toString();
  const isStopWord = word => !self.lunr.stopWordFilter(new self.lunr.Token(word));

  /** What a name means for ranking: its stems without particles, English stemmed, spaces removed. */
  function normalise(text) {
    return String(text).normalize("NFKC").replace(/<[^>]*>/g, " ").toLowerCase().split(/[^\p{L}\p{N}]+/u)
      .flatMap(segment).filter(p => p && !IS_PARTICLE.has(p) && !(/^[a-z]+$/.test(p) && isStopWord(p)))
      .map(p => (/^[a-z]+$/.test(p) ? stem(p) : p)).join("");
  }

  /** A name as written, for comparing what was typed: lower case, tags dropped, other characters than letters, digits
   * and `keep` as single spaces ("AWS GovCloud (US)" -> "aws govcloud us"; with "-": "aws-us-gov" stays). */
  function plainName(text, keep = "") {
    const other = new RegExp(`[^\\p{L}\\p{N}${keep}]+`, "gu");
    return String(text).normalize("NFKC").replace(/<[^>]*>/g, " ").toLowerCase().replace(other, " ").trim();
  }

  function buildVocabulary(docs, glossary) {
    const weights = new Map();
    const known = new Map();
    const names = new Set(); // known words that are a whole title or glossary name
    const add = (word, weight, isKnown) => {
      weights.set(word, (weights.get(word) || 0) + weight);
      if (isKnown && !known.has(word)) known.set(word, word);
    };
    const words = text => String(text || "").normalize("NFKC").replace(/<[^>]*>/g, " ").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
    const nameTo = (name, location, map = vocab.titles) => {
      const key = normalise(name);
      if (key) map.set(key, [...(map.get(key) || []), location]);
      vocab.longest = Math.max(vocab.longest, words(name).length);
      return key;
    };
    // A whole name (title or glossary name), for corrections, 초성 and spacing: "리전 선택 방법" as 리전선택방법.
    const phrase = (name, isName = true) => { // concept words are no names: 초성 reads names first
      const plain = name.normalize("NFKC").toLowerCase().replace(/<[^>]*>/g, "").trim();
      const joined = plain.replace(/[^\p{L}\p{N}]+/gu, "");
      if (HANGUL.test(joined) && !/[a-z0-9]/.test(joined)) {
        if (isName) names.add(joined);
        if (!known.has(joined)) known.set(joined, plain);
      } else if (/^[a-z0-9]+$/.test(joined) && /[^a-z0-9]/.test(plain)) vocab.joined.set(joined, plain);
    };
    const counts = new Map(); // word -> [weight, seen in a title or keywords]
    for (const doc of docs) {
      for (const [field, weight] of [["title", 20], ["keywords", 20], ["text", 1]])
        for (const word of words(doc[field])) {
          const count = counts.get(word) || [0, false];
          counts.set(word, [count[0] + weight, count[1] || weight > 1]);
        }
      if (doc.title) {
        nameTo(doc.title, doc.location, doc.location.includes("#") ? vocab.sections : vocab.titles);
        vocab.plain.add(plainName(doc.title));
        phrase(doc.title);
      }
    }
    for (const [word, [weight, titled]] of counts) {
      if (!HANGUL.test(word)) add(word, weight, titled);
      else if (!titled) add((stripParticle(word) || [word])[0], weight, false); // segmented when completed
      else for (const piece of [...segment(word), word]) add(piece, weight, true); // pieces and the compound as written
    }
    for (const { location, section, names, concept } of glossary) {
      for (const name of names) {
        nameTo(name, location);
        const key = nameTo(name, section || location, vocab.answers);
        if (concept) vocab.concepts.add(key);
        else if (/^[a-z]/i.test(name)) vocab.prefixes.push([plainName(name, "-"), location, section || location]);
        vocab.plain.add(plainName(name));
        phrase(name, !concept);
        for (const word of words(name)) if (!HANGUL.test(word)) known.set(word, word);
      }
    }
    vocab.prefixes.sort((a, b) => a[0].length - b[0].length);
    for (const [word, weight] of weights) {
      if (/^[a-z0-9]*[a-z][a-z0-9]*$/.test(word)) {
        vocab.latin.set(word, weight);
        vocab.latinStems.add(stem(word));
      } else if (HANGUL.test(word) && !IS_PARTICLE.has(word)) vocab.hangul.push([keys(word), word, weight]);
    }
    vocab.hangul.sort((a, b) => b[2] - a[2]);
    const byInitials = new Map(); // 초성 -> [{form, name, weight}]
    for (const [word, form] of known) {
      const hangul = HANGUL.test(word);
      if (!/^[a-z]+$/.test(word) && !hangul) continue;
      if (hangul && /[^\uac00-\ud7a3]/.test(word)) continue;
      // chars: its keys or letters, spread once here, not on every correction
      const entry = { word, form, hangul, chars: [...(hangul ? keys(word) : word)], weight: weights.get(word) || 20 };
      vocab.known.push(entry);
      if (hangul && word.length >= 2)
        byInitials.set(initials(word), [...(byInitials.get(initials(word)) || []), { form, weight: entry.weight, name: names.has(word) }]);
    }
    // Names that share 초성: a whole title or glossary name before a word found in one, then the most used first.
    for (const [key, entries] of byInitials)
      vocab.initials.set(key, entries.sort((a, b) => b.name - a.name || b.weight - a.weight).map(e => e.form));
  }

  // ---- Query ----------------------------------------------------------------------------------------------------
  /** The search words of a name: "관리형 서비스" -> 관리형 / 서비스, "Amazon S3" -> amazon / s3. */
  const wordsOf = name => name.toLowerCase().split(/[^\p{L}\p{N}]+/u).flatMap(segment)
    .filter(p => p && !IS_PARTICLE.has(p) && !(/^[a-z]+$/.test(p) && isStopWord(p)));

  /** Content pieces of a cover, if it counts as knowing the word: not only one-syllable pieces for 3+ syllables. */
  function coverContent(word, best, end) {
    const entry = best[end];
    if (!entry || !entry.content || (end >= 3 && !entry.multi)) return null;
    return piecesOf(word, best, end).filter(p => !IS_PARTICLE.has(p));
  }

  /** Is this Hangul word fully made of known pieces (not just one-syllable ones, for words of 3+ syllables)? */
  function knownHangul(word) {
    const content = coverContent(word, covers(word), word.length);
    if (content) return content;
    const split = stripParticle(word);
    return split && stems.has(split[0]) ? [split[0]] : null;
  }

  /** A word converted from the other keyboard layout counts only when it is a known word, or known words of 2+
   * syllables each ("rkdyddudur" -> 가용 + 영역), never a chance string of pieces ("fkdlwjs" -> 라 + 이전). */
  function knownConverted(word) {
    const pieces = knownHangul(word);
    return pieces && pieces.every(p => p.length > 1) ? pieces : null;
  }

  const knownLatin = word => vocab.latin.has(word) || vocab.latinStems.has(stem(word));
  const latinPrefix = word => [...vocab.latin.keys()].some(w => w.startsWith(word));
  /** An everyday word that the site never uses (near a site word, so it must not be corrected into one). */
  const isCommon = word => vocab.common.has(word) || vocab.common.has((stripParticle(word) || [word])[0]);

  /** Hangul words whose keystrokes begin with these (a syllable still being composed), heaviest first. */
  function completions(partial, limit = 8, typed = keys(partial)) {
    const found = [];
    for (const [spelled, word] of vocab.hangul) {
      if (spelled.startsWith(typed)) found.push(word);
      if (found.length >= limit) break;
    }
    return found;
  }

  /** A syllable whose final consonant may yet start the next one: "엣질" -> "엣지ㄹ". */
  function detachFinal(text) {
    const last = text.charCodeAt(text.length - 1) - 0xac00;
    if (last < 0 || last >= 11172 || last % 28 === 0) return null;
    const final = SPLIT[FINALS[last % 28]] || FINALS[last % 28];
    const kept = final.length === 2 ? FINALS.indexOf(final[0]) : 0;
    return text.slice(0, -1) + String.fromCharCode(0xac00 + last - (last % 28) + kept) + final.slice(-1);
  }

  /** Known words + a jamo-level prefix of a word: "가용영여" -> 가용 + 영역…, "엣질" -> 엣지 + ㄹ…; or null. One cover
   * pass gives every head; the tails' keystrokes are built from the end, so the cost grows with the word, not faster. */
  function partialHangul(run, converted = false) { // converted (from the other layout): no head that starts with a 1-syllable piece
    for (const text of [run, detachFinal(run)].filter(Boolean)) {
      const best = covers(text), chars = [...text];
      const tails = Array(chars.length + 1).fill("");
      for (let i = chars.length - 1; i >= 0; i--) tails[i] = keys(chars[i]) + tails[i + 1];
      for (let i = 0; i < text.length; i++) {
        const split = i && stripParticle(text.slice(0, i));
        const headPieces = !i ? [] : coverContent(text, best, i) || (split && stems.has(split[0]) ? [split[0]] : null);
        if (i && (!headPieces || (converted && headPieces[0].length < 2))) continue; // the known start of a compound: 엣지 in 엣질
        const tail = completions(null, 8, tails[i]);
        if (tail.length) return { exact: headPieces, tail };
      }
    }
    return null;
  }

  /** The nearest known words within the word's tolerance (all at the smallest distance, up to two), memoized. */
  const correctMemo = new Map();
  function correct(word) {
    if (correctMemo.has(word)) return correctMemo.get(word);
    const max = tolerance(word);
    let fixed = [];
    if (max && !isCommon(word)) {
      const hangul = KOREAN.test(word);
      const chars = [...(hangul ? keys(word) : word)];
      let best = max + 1, found = [];
      for (const entry of vocab.known) {
        if (entry.hangul !== hangul) continue;
        const d = distance(chars, entry.chars, best);
        if (d < best) [best, found] = [d, [entry]];
        else if (d === best) found.push(entry);
      }
      fixed = best <= max ? found.sort((a, b) => b.weight - a.weight).slice(0, 2).map(e => e.form) : [];
    }
    if (correctMemo.size > 2000) correctMemo.clear();
    correctMemo.set(word, fixed);
    return fixed;
  }

  /** Whole names whose 초성 are these, or (while typing) begin with these: ㄱㅇㅇ -> 가용영역. */
  function initialsRead(run, last) {
    if (vocab.initials.has(run)) return vocab.initials.get(run);
    if (!last) return null;
    const longer = [...vocab.initials.keys()].filter(key => key.startsWith(run)).sort((a, b) => a.length - b.length);
    return longer.length ? longer.flatMap(key => vocab.initials.get(key)) : null;
  }

  /**
   * Reads one run of a query word. Returns { terms: [[term, boost, prefix?]], shown, changed }: the clauses to
   * search, the text it was read as, and whether that reading is a correction the reader should be told about.
   * An everyday word that the site never uses reads as nothing ({ terms: [], common: true }), unless it is the start
   * of a site word being typed.
   */
  function readHangul(run, last) {
    const exact = knownHangul(run);
    if (exact) return { terms: exact.flatMap(p => (last ? [[p, EXACT], [p, PREFIX, true]] : [[p, EXACT]])), shown: run };
    const phrases = /^[\u3131-\u314e]{2,}$/.test(run) && initialsRead(run, last);
    if (phrases) {
      const read = phrases.slice(0, INITIALS_READ);
      const terms = read.flatMap((phrase, i) => wordsOf(phrase).map(p => [p, CORRECTED - i]));
      return { terms, shown: read[0], also: read.slice(1), changed: true };
    }
    const complete = ({ exact, tail }) => ({ terms: [...exact.map(p => [p, EXACT]), ...tail.flatMap(segment).map(p => [p, COMPLETION])], shown: run });
    const whole = last && completions(run);
    if (whole && whole.length) return complete({ exact: [], tail: whole });
    if (isCommon(run)) return { terms: [], shown: run, common: true };
    const latin = hangulToLatin(run);
    if (latin && latin.length >= 2 && knownLatin(latin)) return { ...readLatin(latin), shown: latin, changed: true };
    for (const body of [run, ...(stripParticle(run) || []).slice(0, 1)]) {
      const fixed = correct(body);
      if (fixed.length) return { terms: fixed.flatMap(wordsOf).map(p => [p, CORRECTED]), shown: fixed[0], changed: true };
    }
    const partial = last && partialHangul(run);
    if (partial) return complete(partial);
    return { terms: [[run, PREFIX, true]], shown: run, unknown: true }; // 가, 이, 로… alone: maybe a word's start
  }

  function readLatin(word, last, raw) {
    if (knownLatin(word)) return { terms: last ? [[word, EXACT], [stem(word), PREFIX, true]] : [[word, EXACT]], shown: word };
    if (last && latinPrefix(word)) return { terms: [[word, PREFIX, true]], shown: word };
    if (isCommon(word)) return { terms: [], shown: word, common: true };
    const hangul = latinToHangul(raw || word);
    if (hangul && HANGUL.test(hangul)) {
      if (knownConverted(hangul)) return { ...readHangul(hangul, false), shown: hangul, changed: true };
      // Korean being typed on the English layout: "rk" (가), "rkdydd" (가용ㅇ) read as the words they begin.
      if (last && /^[\uac00-\ud7a3]+[\u3131-\u3163]?$/.test(hangul)) {
        const whole = completions(hangul);
        if (whole.length) return { terms: whole.flatMap(segment).map(p => [p, COMPLETION]), shown: hangul, changed: true };
        const partial = partialHangul(hangul, true); // "ajtlsd" (머신ㅇ): 머신 + the words ㅇ begins; not 라 + 이전…
        if (partial) return { terms: [...partial.exact.map(p => [p, EXACT]), ...partial.tail.flatMap(segment).map(p => [p, COMPLETION])],
          shown: hangul, changed: true };
      }
      const fixed = correct(hangul); // and a typo on top: Shift missed for ㅖ, say
      if (fixed.length) return { terms: fixed.flatMap(wordsOf).map(p => [p, CORRECTED]), shown: fixed[0], changed: true };
    }
    if (vocab.joined.has(word)) // spacing: "edgelocation" -> edge location
      return { terms: wordsOf(vocab.joined.get(word)).map(p => [p, EXACT]), shown: vocab.joined.get(word) };
    const fixed = correct(word);
    if (fixed.length) return { terms: fixed.flatMap(wordsOf).map(p => [p, CORRECTED]), shown: fixed[0], changed: true };
    return { terms: [[word, PREFIX, true]], shown: word, unknown: true };
  }

  /** A run typed without the spaces or hyphens of a known name, as that name ("S3Cross-RegionReplication"); else itself. */
  function spaced(run) {
    return vocab.joined.get(run.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "")) || run;
  }

  /** Question words and endings that carry no topic ("무엇인가요", "주나요", "what does … do"). */
  function isFiller(run) {
    if (/^[a-z]+$/.test(run)) return ENGLISH_FILLER.has(run) || isStopWord(run);
    const body = (stripParticle(run) || [run])[0];
    return QUESTION_WORDS.has(run) || QUESTION_WORDS.has(body) || [...QUESTION_WORDS].some(q => run.startsWith(q))
      || (!knownHangul(run) && QUESTION_ENDING.test(run) && run.length >= 2);
  }

  /** The first MAX_QUERY characters of a query, without a word cut in two: { text, cut }. */
  function limit(input) {
    const chars = [...input];
    if (chars.length <= MAX_QUERY) return { text: input, cut: false };
    const head = chars.slice(0, MAX_QUERY).join("");
    return { text: /\s/.test(chars[MAX_QUERY]) ? head : head.replace(/\s+\S*$/, "") || head, cut: true };
  }

  /** Does a longer name begin with what was typed? A typed space matches a space or a hyphen ("cross region r"); a typed
   * hyphen, only a hyphen ("aws-c" begins aws-cn, not AWS CLI), unless `loose` ("aws-cl" then begins AWS CLI). */
  const begins = (name, text, loose) => name.length > text.length
    && [...text].every((ch, i) => ch === name[i] || ((ch === " " || (loose && ch === "-")) && /[ -]/.test(name[i])));

  /** The English glossary names that a query of PREFIX_NAME+ characters begins, as typed ("availab" -> Availability
   * Zone, "aws-" -> aws-cn, "s3 c" -> S3 Cross-Region Replication): a tier. */
  function prefixNames(text) {
    if (!/^[a-z][a-z0-9 -]*$/.test(text) || text.length < PREFIX_NAME) return null;
    const strict = vocab.prefixes.filter(([name]) => begins(name, text, false));
    const found = strict.length ? strict : vocab.prefixes.filter(([name]) => begins(name, text, true));
    return found.length ? { tier: found.flatMap(([, page, section]) => [page, section]), sections: found.map(f => f[2]),
      names: found.map(f => f[0]) } : null;
  }

  /** Rewrites a whole query into lunr clauses; returns { query, typed, searched, changed, best: [locations] in rank
   * order, sections: [the sections that answer it] }. */
  function rewriteQuery(input) {
    // Full-width Latin and the like to plain (NFKC), but not Hangul jamo, which NFKC would turn into other code points.
    const typed = input.replace(/[^\u3131-\u318e\uac00-\ud7a3]+/g, text => text.normalize("NFKC"));
    const words = typed.trim().split(/\s+/).filter(Boolean);
    if (!words.length || words.some(w => /[*~^:"\\]|^[+-]/.test(w))) return { query: typed, typed, searched: typed };
    const runs = words.flatMap((word, w) => {
      const pieces = (word.match(RUNS) || []).flatMap(run => (KOREAN.test(run) ? [run] : spaced(run).split(/[^\p{L}\p{N}]+/u)))
        .filter(Boolean);
      return pieces.map((raw, r) => ({ run: raw.toLowerCase(), raw, last: w === words.length - 1 && r === pieces.length - 1 }));
    });
    const content = runs.filter(({ run }) => !isFiller(run) && !IS_PARTICLE.has(run));
    const chosen = content.length ? content : runs.slice(-1);
    // Spacing the other way: two English words whose join is a known word ("cloud formation").
    const joined = [];
    for (let i = 0; i + 1 < chosen.length; i++) {
      const pair = chosen[i].run + chosen[i + 1].run;
      if (/^[a-z]+$/.test(pair) && knownLatin(pair)) joined.push([pair, EXACT]);
    }
    let read = chosen.map(({ run, raw, last }) => (KOREAN.test(run) ? readHangul(run, last) : readLatin(run, last, raw)));
    if (read.length > 1 && read.some(r => r.unknown) && !read.some(r => r.common)) { // a typo in a short word of a longer name: "리전 섭택 방법"
      const fixed = correct(chosen.map(c => c.run).join(""));
      if (fixed.length) read = [{ terms: wordsOf(fixed[0]).map(p => [p, CORRECTED]), shown: fixed[0], changed: true }];
    }
    const named = read.filter(r => !r.common);
    const terms = [...named.flatMap(r => r.terms), ...joined];
    // The locations the query names, then those of the other names a 초성 query may mean; while typing English, the
    // glossary names it begins come before them all, unless it is a whole name itself; and the sections that answer it.
    const bets = [named.map(r => r.shown), ...named.flatMap(r => r.also || []).map(phrase => [phrase])].filter(s => s.length).map(bestBet);
    const text = plainName(words.map(spaced).join(" "), "-"); // as typed, hyphens kept: "aws-" begins aws-cn
    const prefix = prefixNames(text);
    if (prefix) { // first, unless the query is a whole name as typed ("partition"), not only as stemmed ("provision")
      const whole = vocab.plain.has(plainName(text)) && bets.length && bets[0].tiers.length;
      bets.splice(whole ? 1 : 0, 0, { tiers: [prefix.tier], sections: prefix.sections });
      if (!knownLatin(chosen[chosen.length - 1].run)) // a word still being typed: search the names it begins
        terms.push(...prefix.names.slice(0, 3).flatMap(wordsOf).map(p => [p, COMPLETION]));
    }
    const clause = ([term, boost, prefix]) => (prefix ? `${term}*^${boost}` : `${term}^${boost}`);
    const query = [...new Set(terms.filter(([t]) => t && !/[*~^:"\\+-]/.test(t)).map(clause))].join(" ");
    const searched = named.map(r => r.shown).join(" ");
    return { query: named.length ? query || typed : "", typed: input, searched, changed: named.some(r => r.changed),
      best: bets.flatMap(b => b.tiers), sections: bets.flatMap(b => b.sections) };
  }

  /**
   * The locations a query names, as tiers, and the sections that answer it. A section or page titled by all of it, or
   * a glossary name or concept that is all of it: that page, with that section first. Else the longest parts that
   * name something (a part inside a longer one does not count): concepts first (their pages, that section at the
   * top), then the page of the first term or title (its sections ranked by lunr, since the other words say which).
   */
  function bestBet(shown) {
    const answers = key => [...(vocab.sections.get(key) || []), ...(vocab.answers.get(key) || [])];
    const pages = list => list.map(l => l.split("#")[0]);
    const whole = normalise(shown.join(" "));
    if (vocab.sections.has(whole) || vocab.titles.has(whole)) {
      const sections = answers(whole);
      return { tiers: [[...(vocab.titles.get(whole) || []), ...sections, ...pages(sections)]], sections };
    }
    const covered = new Set(), concepts = [], named = [];
    for (let length = Math.min(shown.length - 1, vocab.longest); length >= 1; length--)
      for (let start = 0; start + length <= shown.length; start++) {
        const key = normalise(shown.slice(start, start + length).join(" "));
        const span = Array.from({ length }, (_, i) => start + i);
        if (!vocab.titles.has(key) || span.some(i => covered.has(i))) continue;
        span.forEach(i => covered.add(i));
        (vocab.concepts.has(key) ? concepts : named).push(key);
      }
    const sections = concepts.flatMap(answers);
    const tiers = [[...sections, ...pages(sections)], named.length ? vocab.titles.get(named[0]) : []];
    return { tiers: tiers.filter(t => t.length), sections: [...sections, ...tiers[1]] };
  }

  // ---- Results --------------------------------------------------------------------------------------------------
  /**
   * Moves the pages the query names to the top, tier by tier: a page titled by it or explaining that glossary term,
   * then those of the other names a 초성 query may mean; the rest follow, each tier in lunr's order. In a page's
   * result, the section that answers the query comes first (Material shows a result's best-scored section first).
   */
  function rank(items, tiers, sections = []) {
    const tier = new Map(items.map(group => [group, tiers.findIndex(t => group.some(doc => t.includes(doc.location)))]));
    const order = group => (tier.get(group) < 0 ? tiers.length : tier.get(group));
    return [...items].sort((a, b) => order(a) - order(b)).map(group => sectionFirst(group, sections));
  }

  /** A page's result with the section that answers the query first: a named section, or for a page named by a part
   * of the query (`sections` lists the page itself), its best-scored section (Material ranks the page above them). */
  function sectionFirst(group, sections) {
    const page = group[0].location.split("#")[0];
    let answer = sections.find(s => s.split("#")[0] === page);
    if (answer === page) answer = [...group].filter(doc => doc.location.includes("#")).sort((a, b) => b.score - a.score)[0]?.location;
    const at = group.findIndex(doc => doc.location === answer);
    const doc = at >= 0 ? group[at] : vocab.docs.get(answer) && { ...vocab.docs.get(answer), terms: {} };
    if (!answer || at === 0 || !doc) return group;
    return [{ ...doc, score: Math.max(...group.map(d => d.score)) }, ...group.filter((_, i) => i !== at)];
  }

  const pending = []; // what each query in flight was read as, in order (Material answers queries in order)
  const post = self.postMessage.bind(self);
  self.postMessage = message => {
    if (message && message.type === RESULT && pending.length) {
      const read = pending.shift();
      message.data.items = rank(message.data.items, read.best || [], read.sections);
      // A cut query (a pasted text) matches nearly every section: list each page's best few, so that showing the
      // result stays as quick as for a short query (the page itself stays, Material needs it).
      if (read.cut) message.data.items = message.data.items.map(group => group.filter((doc, i) => i < CUT_SECTIONS || !doc.location.includes("#")));
      if (read.changed && message.data.items.length) message.data.searched = { typed: read.typed, searched: read.searched };
      if (read.cut) message.data.cut = MAX_QUERY;
    }
    post(message);
  };

  addEventListener("message", event => {
    const message = event.data;
    if (message.type === SETUP) {
      const tags = /<[^>]*>/g;
      for (const doc of message.data.docs)
        for (const field of [doc.title, doc.text, doc.keywords])
          for (const word of String(field || "").replace(tags, " ").match(/[\uac00-\ud7a3]+/g) || []) learn(word);
      self.lunr.TinySegmenter = KoreanSegmenter; // Material instantiates it as lunr.segmenter
      coverMemo.clear();
      buildVocabulary(message.data.docs, message.data.config.glossary || []);
      vocab.common = new Set(message.data.config.common || []);
      vocab.docs = new Map(message.data.docs.map(doc => [doc.location, doc]));
    } else if (message.type === QUERY && typeof message.data === "string") {
      const { text, cut } = limit(message.data); // linear from here on, and never more than MAX_QUERY characters
      let read;
      try {
        read = message.exact ? { query: text } : rewriteQuery(text);
      } catch (error) {
        read = { query: text }; // never break search: fall back to Material's own handling
      }
      message.data = read.query;
      pending.push({ ...read, cut });
      self.searchKorean.lastRead = read;
    }
  });

  // For the tests (tests/test_search_mechanism.py), which load this file into a page; lastRead: how the last query was
  // read (tests/search_worker.js reports it with the answer).
  self.searchKorean = { keys, initials, compose, latinToHangul, hangulToLatin, distance, tolerance, rewriteQuery, buildVocabulary,
    learn, vocab, limit, MAX_QUERY, known: word => (KOREAN.test(word) ? !!knownHangul(word) : knownLatin(word)) };
})();
