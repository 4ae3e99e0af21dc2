import { readNarrative } from '../safety/language.ts';
import { signatureOf, similarity } from './minhash.ts';

/**
 * A similarity that survives paraphrase. MinHash over word 3-shingles (minhash.ts) compares
 * word order: reorder the clauses or swap one word in three and no shingle survives, so a
 * story retold in other words reads as new (measured in paraphrase.test.ts and docs/screening.md).
 * Here a narrative becomes the set of its content lemmas ("cutting", "cuts" → "cut"; articles,
 * pronouns, prepositions and auxiliaries dropped, as the language model tags them), so word
 * order and inflection no longer matter; and each lemma's character 4-grams, so a spelling
 * variant or a derived form ("laceration"/"lacerated") still shares most of its grams. The two
 * Jaccard indexes are averaged: a retelling keeps most content lemmas even when a few words
 * become synonyms, while two unrelated accounts of one product share only the product's words.
 */

/** Parts of speech that carry no content of a story (universal POS tags, as wink tags them). */
const FUNCTION_POS = new Set([
  'DET',
  'ADP',
  'PRON',
  'AUX',
  'CCONJ',
  'SCONJ',
  'PART',
  'PUNCT',
  'SYM',
  'SPACE',
  'INTJ',
  'X',
]);

/** The content lemmas of a narrative, in order (numbers dropped: ages and times are details). */
export function contentLemmas(text: string): string[] {
  const out: string[] = [];
  for (const sentence of readNarrative(text).sentences) {
    for (const word of sentence) {
      if (word.punctuation || FUNCTION_POS.has(word.pos) || word.pos === 'NUM') continue;
      const lemma = word.lemma.replace(/[^\p{L}\p{N}]/gu, '');
      if (lemma.length < 2 || /^\d+$/.test(lemma)) continue;
      out.push(lemma);
    }
  }
  return out;
}

/** What is compared: the lemma set and the character 4-grams of each lemma (with its edges marked). */
export interface LemmaProfile {
  lemmas: Set<string>;
  grams: Set<string>;
}

export function lemmaProfile(text: string): LemmaProfile {
  const lemmas = new Set(contentLemmas(text));
  const grams = new Set<string>();
  for (const lemma of lemmas) {
    const marked = `_${lemma}_`;
    if (marked.length <= 4) grams.add(marked);
    for (let i = 0; i + 4 <= marked.length; i++) grams.add(marked.slice(i, i + 4));
  }
  return { lemmas, grams };
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return both / (a.size + b.size - both);
}

/** Exact paraphrase similarity of two narratives, 0…1 (the mean of the two Jaccard indexes). */
export function paraphraseSimilarity(a: string | LemmaProfile, b: string | LemmaProfile): number {
  const pa = typeof a === 'string' ? lemmaProfile(a) : a;
  const pb = typeof b === 'string' ? lemmaProfile(b) : b;
  return (jaccard(pa.lemmas, pb.lemmas) + jaccard(pa.grams, pb.grams)) / 2;
}

/**
 * The stored form: a MinHash signature over the lemmas and one over their grams, and how many
 * lemmas there were, so a claim's narrative is compared with stored ones without keeping its
 * words in clear (descriptions are sealed at rest; a signature of hashes reveals none of them).
 */
export interface ParaphraseSignature {
  lemmas: number[];
  grams: number[];
  size: number;
}

export function paraphraseSignature(text: string): ParaphraseSignature {
  const profile = lemmaProfile(text);
  return {
    lemmas: signatureOf(profile.lemmas),
    grams: signatureOf(profile.grams),
    size: profile.lemmas.size,
  };
}

/** The MinHash estimate of paraphraseSimilarity, and of how many content lemmas the two share. */
export function compareSignatures(
  a: ParaphraseSignature,
  b: ParaphraseSignature,
): { similarity: number; sharedLemmas: number } {
  if (a.size === 0 || b.size === 0) return { similarity: 0, sharedLemmas: 0 };
  const lemmaJaccard = similarity(a.lemmas, b.lemmas);
  return {
    similarity: (lemmaJaccard + similarity(a.grams, b.grams)) / 2,
    // |A ∩ B| = J (|A| + |B|) / (1 + J)
    sharedLemmas: Math.round((lemmaJaccard * (a.size + b.size)) / (1 + lemmaJaccard)),
  };
}

/** Exact count of the content lemmas two narratives share. */
export function sharedLemmas(a: LemmaProfile, b: LemmaProfile): number {
  let n = 0;
  for (const x of a.lemmas) if (b.lemmas.has(x)) n++;
  return n;
}

/**
 * Where the paraphrase signal fires: similarity at least 0.4 AND at least six content lemmas in
 * common. Chosen on the 397 CPSC narratives of products a marketplace sells (paraphrase.test.ts,
 * docs/screening.md): short reports are formulaic ("playing basketball, ankle sprain" twice
 * over by two people), so similarity alone matched 1 unrelated pair in 800; with six shared
 * lemmas required, 1 in 13,000, while 65 % of machine paraphrases of the same stories (90 % of
 * those with ten lemmas or more) are still caught. A shorter story has too little to compare.
 */
export const PARAPHRASE_THRESHOLD = 0.4;
export const MIN_SHARED_LEMMAS = 6;

export function isParaphrase(match: { similarity: number; sharedLemmas: number }): boolean {
  return match.similarity >= PARAPHRASE_THRESHOLD && match.sharedLemmas >= MIN_SHARED_LEMMAS;
}

/**
 * Candidate lookup: bands of two rows over the lemma signature, so a pair whose lemma sets
 * overlap by half is a candidate with probability 1 − (1 − 0.5²)^16 ≈ 0.99, and one at 0.2 with
 * 1 − (1 − 0.04)^16 ≈ 0.48 (such pairs are then measured and dropped).
 */
export const PARAPHRASE_BANDS = 16;
const ROWS = 2;

export function paraphraseBands(sig: ParaphraseSignature): string[] {
  if (sig.size === 0) return [];
  return Array.from({ length: PARAPHRASE_BANDS }, (_, band) =>
    sig.lemmas.slice(band * ROWS, (band + 1) * ROWS).join('.'),
  );
}
