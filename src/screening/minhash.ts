/**
 * Near-duplicate text by MinHash over word shingles. Written here because the npm MinHash
 * packages are unmaintained single-purpose files; the algorithm is twenty lines and we need
 * its bands (for an index) in a stable form that outlives any package's internals.
 */
export const SIGNATURE_SIZE = 64;
export const BANDS = 16;
const ROWS = SIGNATURE_SIZE / BANDS;
const PRIME = 4_294_967_311; // > 2^32

/** Deterministic hash coefficients, so signatures stored years ago still compare. */
const COEFFICIENTS = Array.from({ length: SIGNATURE_SIZE }, (_, i) => ({
  a: (fnv1a(`a${i}`) % (PRIME - 1)) + 1,
  b: fnv1a(`b${i}`) % PRIME,
}));

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** Word 3-grams; a text shorter than three words is its own single shingle. */
export function shingles(text: string, size = 3): Set<string> {
  const w = words(text);
  const out = new Set<string>();
  if (w.length < size) {
    if (w.length) out.add(w.join(' '));
    return out;
  }
  for (let i = 0; i + size <= w.length; i++) out.add(w.slice(i, i + size).join(' '));
  return out;
}

export function signature(text: string): number[] {
  return signatureOf(shingles(text));
}

/** The MinHash signature of any set of strings (word shingles here; lemmas in paraphrase.ts). */
export function signatureOf(items: Iterable<string>): number[] {
  const hashes = [...items].map(fnv1a);
  return COEFFICIENTS.map(({ a, b }) => {
    let min = Number.MAX_SAFE_INTEGER;
    // BigInt would be exact; the product a*h stays below 2^64 but not 2^53, so split it.
    for (const h of hashes) {
      const value = mulMod(a, h, PRIME);
      const permuted = (value + b) % PRIME;
      if (permuted < min) min = permuted;
    }
    return min;
  });
}

function mulMod(a: number, b: number, m: number): number {
  const high = Math.floor(a / 65_536);
  const low = a % 65_536;
  return (((high * b) % m) * 65_536 + low * b) % m;
}

export function bands(sig: number[]): string[] {
  return Array.from({ length: BANDS }, (_, band) => sig.slice(band * ROWS, (band + 1) * ROWS).join('.'));
}

/** Estimated Jaccard similarity of the two texts' shingle sets. */
export function similarity(a: number[], b: number[]): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a[i] === b[i]) same++;
  return same / SIGNATURE_SIZE;
}
