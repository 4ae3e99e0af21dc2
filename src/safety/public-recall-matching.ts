/**
 * Pure rules that decide whether a marketplace product is the product of a public recall
 * notice: the same UPC or model number exactly, or the same brand and enough of the same title
 * words. No I/O; the store and the use cases feed it rows.
 */

/** Company-form words that say nothing about which brand it is: "Fisher-Price, Inc." is "fisher price". */
const COMPANY_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'co',
  'corp',
  'corporation',
  'company',
  'ltd',
  'limited',
  'lp',
  'plc',
  'gmbh',
  'usa',
  'us',
  'the',
]);

/** Lower case, punctuation and company forms dropped, so "IKEA North America Services, LLC" ~ "ikea north america services". */
export function normaliseBrand(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  while (words.length > 1 && COMPANY_SUFFIXES.has(words[words.length - 1] as string)) words.pop();
  while (words.length > 1 && words[0] === 'the') words.shift();
  return words.join(' ');
}

/** Model numbers are compared without case, spaces, dashes, dots or slashes: "MALM-6 DR" = "malm6dr". */
export function normaliseModel(model: string): string {
  return model.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * A UPC-A is 12 digits and the same code as an EAN-13 with a leading 0; both are compared as
 * their digits without leading zeros. Returns '' for a code with fewer than 8 digits (not a UPC).
 */
export function normaliseUpc(upc: string): string {
  const digits = upc.replace(/\D/g, '').replace(/^0+/, '');
  return digits.length >= 7 ? digits : '';
}

const TITLE_STOPWORDS = new Set([
  'the',
  'and',
  'for',
  'with',
  'from',
  'due',
  'recall',
  'recalls',
  'recalled',
  'hazard',
  'hazards',
  'risk',
  'sold',
  'exclusively',
  'model',
  'models',
  'new',
  'pack',
  'set',
]);

/** Title words that can name a product: lower case, 3 letters or more, a plural's "s" dropped. */
export function titleTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const raw of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (raw.length < 3 || TITLE_STOPWORDS.has(raw) || /^\d+$/.test(raw)) continue;
    terms.add(raw.length > 4 && raw.endsWith('s') && !raw.endsWith('ss') ? raw.slice(0, -1) : raw);
  }
  return terms;
}

export interface RecallIdentity {
  title: string;
  productNames: string[];
  brandKeys: string[];
  modelKeys: string[];
  upcKeys: string[];
}

export interface ProductIdentity {
  title: string;
  brand: string | null;
  upc: string | null;
  modelNumber: string | null;
}

export type MatchMethod = 'upc' | 'model_number' | 'brand_title';

export interface RecallMatch {
  method: MatchMethod;
  /** 1 for an exact code; for brand and title, the share of the product's title words the notice names. */
  score: number;
  /** What matched, for the safety officer: the code, or the brand and the shared words. */
  terms: string[];
}

/** Below this share of shared title words a same-brand product is another product of the brand. */
export const MIN_TITLE_SCORE = 0.5;
/** …and a single shared word ("crib", "lamp") is too little to call it the same product. */
export const MIN_SHARED_TERMS = 2;

/** The brand and manufacturer names of a notice, normalised, without repeats. */
export function brandKeysOf(names: string[]): string[] {
  return [...new Set(names.map(normaliseBrand).filter((k) => k !== ''))];
}

/**
 * Whether a product is the recalled product. A brand on both sides that differs rules out a
 * model-number or title match (model numbers repeat across brands); a UPC is one product
 * worldwide, so it matches even when the seller spelled its brand differently.
 */
export function matchProductToRecall(product: ProductIdentity, recall: RecallIdentity): RecallMatch | null {
  const upc = product.upc ? normaliseUpc(product.upc) : '';
  if (upc && recall.upcKeys.includes(upc)) return { method: 'upc', score: 1, terms: [`UPC ${product.upc}`] };
  const brand = product.brand ? normaliseBrand(product.brand) : '';
  const sameBrand = brand !== '' && recall.brandKeys.includes(brand);
  const otherBrand = brand !== '' && recall.brandKeys.length > 0 && !sameBrand;
  if (otherBrand) return null;
  const model = product.modelNumber ? normaliseModel(product.modelNumber) : '';
  if (model && recall.modelKeys.includes(model)) {
    return { method: 'model_number', score: 1, terms: [`model ${product.modelNumber}`] };
  }
  if (!sameBrand) return null;
  const productTerms = titleTerms(product.title);
  for (const word of brand.split(' ')) productTerms.delete(word);
  if (productTerms.size === 0) return null;
  const recallTerms = titleTerms([recall.title, ...recall.productNames].join(' '));
  const shared = [...productTerms].filter((t) => recallTerms.has(t)).sort();
  const score = Math.round((shared.length / productTerms.size) * 100) / 100;
  if (shared.length < MIN_SHARED_TERMS || score < MIN_TITLE_SCORE) return null;
  return { method: 'brand_title', score, terms: [`brand ${brand}`, ...shared] };
}
