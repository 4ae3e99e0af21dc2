/**
 * Spelling tolerance for the few words that decide a hazard or a severity. Consumers write
 * "swalled", "chocking", "stiches", "hopsital"; the words they mean are known in advance, so a
 * word is compared only with this short list, never with a whole dictionary.
 */
const DECISIVE_WORDS = [
  'swallowed',
  'swallow',
  'swallowing',
  'choking',
  'choked',
  'strangled',
  'strangulation',
  'suffocated',
  'entangled',
  'entrapment',
  'electrocuted',
  'laceration',
  'stitches',
  'surgery',
  'surgeries',
  'surgical',
  'hospital',
  'hospitalized',
  'hospitalised',
  'admitted',
  'ambulance',
  'paramedics',
  'emergency',
  'unresponsive',
  'unconscious',
  'deceased',
  'intubated',
  'fractured',
  'fracture',
  'magnets',
  'battery',
  'batteries',
  'anaphylaxis',
  'anaphylactic',
  'allergic',
  'scalded',
  'blisters',
  'overheated',
  'exploded',
  'caught',
  'trapped',
  'toppled',
  'collapsed',
  'pediatrician',
  'poisoning',
  'chemical',
  'formaldehyde',
  'carbon',
  'monoxide',
];

/**
 * Real words one edit away from a decisive word that must stay as written ("shocked" is not
 * "choked", "scaled" is not "scalded").
 */
const LEAVE_ALONE = new Set([
  'decreased',
  'diseased',
  'released',
  'shocked',
  'checked',
  'chocked',
  'stocked',
  'scaled',
  'caughs',
  'stitched',
  'hospitals',
  'emergent',
  'surgeon',
  'surgeons',
  'battered',
  'allergies',
  'carton',
  'magnet',
  'fractures',
  'choke',
  'choker',
]);

const vocabulary = new Set(DECISIVE_WORDS);

/**
 * Optimal-string-alignment Damerau-Levenshtein distance (insert, delete, substitute, swap two
 * neighbours), giving up once it exceeds `bound`. Hand-written rather than a dependency: it is
 * twenty lines, and the installed language library (wink-nlp) has no edit distance of its own.
 */
export function editDistance(a: string, b: string, bound: number): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  let before = Array.from({ length: b.length + 1 }, (_, j) => j);
  let previous = before;
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (before[j - 2] ?? 0) + 1);
      row.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > bound) return bound + 1;
    before = previous;
    previous = row;
  }
  return previous[b.length] ?? bound + 1;
}

/**
 * How far a word may be from a decisive word: one edit for words of 6 to 8 letters, two for
 * longer ones (measured on the longer word), none for short words, where one edit makes a
 * different word too often (`cut`/`cat`, `burn`/`born`).
 */
function allowedEdits(word: string, target: string): number {
  const length = Math.max(word.length, target.length);
  if (Math.min(word.length, target.length) < 6) return 0;
  return length >= 9 ? 2 : 1;
}

/** The decisive word a misspelt word stands for, if exactly one is near enough. */
export function correctWord(word: string): string | null {
  const lower = word.toLowerCase();
  if (lower.length < 6 || vocabulary.has(lower) || LEAVE_ALONE.has(lower)) return null;
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const target of DECISIVE_WORDS) {
    // The first letter is almost never the one mistyped; requiring it keeps corrections honest.
    if (target[0] !== lower[0]) continue;
    const allowed = allowedEdits(lower, target);
    if (allowed === 0) continue;
    const d = editDistance(lower, target, allowed);
    if (d <= allowed && d < bestDistance) {
      best = target;
      bestDistance = d;
    }
  }
  return best;
}

/** The narrative with misspelt decisive words replaced, and what was replaced. */
export function correctSpelling(text: string): { text: string; corrections: string[] } {
  const corrections: string[] = [];
  const corrected = text.replace(/[A-Za-z]{6,}/g, (word) => {
    const fixed = correctWord(word);
    if (!fixed) return word;
    corrections.push(`${word} → ${fixed}`);
    return fixed;
  });
  return { text: corrected, corrections };
}
