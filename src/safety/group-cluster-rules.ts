import type { Policy } from '../marketplace/policy.ts';
import type { AlertTrigger } from './alert-rules.ts';
import { normaliseBrand, normaliseModel, titleTerms } from './public-recall-matching.ts';

/** The brand and product family a product belongs to; null where the product has no brand. */
export function productGroupKeys(product: {
  brand: string | null;
  model_number: string | null;
  title: string;
}): { brandKey: string | null; familyKey: string | null } {
  const brand = product.brand ? normaliseBrand(product.brand) : '';
  if (!brand) return { brandKey: null, familyKey: null };
  // A family: the model's leading letters ("CHP55" and "CHP62" are one line), else the first two
  // title words that name the product once the brand is left out ("rock play" sleepers in any colour).
  const model = product.model_number ? normaliseModel(product.model_number) : '';
  const prefix = model.match(/^[A-Z]{2,}/)?.[0] ?? (model.length >= 4 ? model.slice(0, 3) : '');
  if (prefix) return { brandKey: brand, familyKey: `${brand}|model ${prefix}` };
  const terms = [...titleTerms(product.title)].filter((t) => !brand.split(' ').includes(t)).slice(0, 2);
  return { brandKey: brand, familyKey: terms.length === 2 ? `${brand}|title ${terms.join(' ')}` : null };
}

/**
 * A group's name for people: the brand as most of its products spell it ("Fisher-Price", not
 * the key "fisher price"), and for a family the model prefix or the title words it shares.
 */
export function groupName(kind: 'brand' | 'family', key: string, brandsAsTyped: string[]): string {
  const [brandKey, family] = key.split('|') as [string, string | undefined];
  const tally = new Map<string, number>();
  for (const b of brandsAsTyped) {
    const trimmed = b.trim();
    if (normaliseBrand(trimmed) === brandKey) tally.set(trimmed, (tally.get(trimmed) ?? 0) + 1);
  }
  const brand =
    [...tally.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? brandKey;
  if (kind === 'brand' || !family) return brand;
  if (family.startsWith('model ')) return `${brand} models ${family.slice('model '.length)}…`;
  return `${brand} “${family.slice('title '.length)}”`;
}

export interface GroupWindowCount {
  windowDays: number;
  claims: number;
  products: number;
}

/**
 * Whether a brand or family crossed a cluster threshold: the shortest window whose count reaches
 * its threshold. Counts come per window of the policy, in the same order.
 */
export function groupClusterTrigger(
  rule: 'brand_cluster' | 'family_cluster',
  group: string,
  counts: GroupWindowCount[],
  windows: Policy['safety']['groupClusterWindows'],
  hazard: string,
  unitsSold: number,
): AlertTrigger<'brand_cluster' | 'family_cluster'> | null {
  if (hazard === 'other') return null;
  for (const [i, window] of windows.entries()) {
    const count = counts[i];
    if (!count || count.claims < window.claims) continue;
    return {
      rule,
      reason: `${count.claims} personal-injury claims of ${hazard} across ${count.products} products of ${rule === 'brand_cluster' ? 'brand' : 'family'} ${group} within ${window.windowDays} days`,
      measure: {
        claims: count.claims,
        products: count.products,
        threshold: window.claims,
        windowDays: window.windowDays,
        unitsSold,
        ratePer10k: unitsSold > 0 ? (count.claims * 10_000) / unitsSold : null,
      },
    };
  }
  return null;
}
