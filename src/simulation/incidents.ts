import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/**
 * Honest claims told in real words: US CPSC NEISS emergency-department narratives (public
 * domain), read at run time from the shared data folder, never copied into the repository
 * beyond the dozen-row fixture `fixtures/neiss-sample.csv` (cited there) that a checkout
 * without the data falls back on.
 */
export interface IncidentStory {
  caseNumber: string;
  /** The catalogue entry the story's product maps to (see CATALOGUE). */
  product: CatalogueEntry;
  /** The coder's note, rewritten as a customer would write it (abbreviations spelt out). */
  narrative: string;
  /** Admitted, transferred, held or died: a larger medical bill. */
  serious: boolean;
}

export interface CatalogueEntry {
  key: string;
  title: string;
  category: string;
  /** Price range of the product, minor units. */
  price: [number, number];
}

/**
 * The NEISS products a marketplace sells, each with a title and a category of its own
 * (structures such as stairs, floors and doors are left out: nobody buys them from a seller).
 */
export const CATALOGUE: (CatalogueEntry & { neiss: RegExp })[] = [
  { key: 'bed', title: 'Bed frame', category: 'furniture', price: [9_000, 60_000], neiss: /^(BUNK )?BEDS/ },
  {
    key: 'chair',
    title: 'Chair',
    category: 'furniture',
    price: [3_000, 30_000],
    neiss: /^(CHAIRS|RECLINER|BARSTOOLS)/,
  },
  { key: 'table', title: 'Table', category: 'furniture', price: [5_000, 40_000], neiss: /^TABLES/ },
  { key: 'sofa', title: 'Sofa couch', category: 'furniture', price: [30_000, 150_000], neiss: /^SOFAS/ },
  {
    key: 'cabinet',
    title: 'Cabinet shelves dresser',
    category: 'furniture',
    price: [6_000, 50_000],
    neiss: /^(DESKS|CABINETS|FURNITURE)/,
  },
  { key: 'bicycle', title: 'Bicycle bike', category: 'sports', price: [20_000, 120_000], neiss: /^BICYCLES/ },
  {
    key: 'trampoline',
    title: 'Trampoline',
    category: 'sports',
    price: [15_000, 60_000],
    neiss: /^TRAMPOLINES/,
  },
  {
    key: 'skateboard',
    title: 'Skateboard scooter',
    category: 'sports',
    price: [4_000, 30_000],
    neiss: /^(SKATEBOARDS|SCOOTERS)/,
  },
  {
    key: 'weights',
    title: 'Exercise weights equipment',
    category: 'sports',
    price: [3_000, 80_000],
    neiss: /^(EXERCISE EQUIPMENT|WEIGHT LIFTING)/,
  },
  {
    key: 'ball',
    title: 'Ball',
    category: 'sports',
    price: [1_500, 6_000],
    neiss: /^(FOOTBALL|BASKETBALL|SOCCER|BALLS|VOLLEYBALL)/,
  },
  {
    key: 'knife',
    title: 'Kitchen knife',
    category: 'kitchen',
    price: [1_500, 15_000],
    neiss: /^KNIVES/,
  },
  {
    key: 'cookware',
    title: 'Cookware pan',
    category: 'kitchen',
    price: [2_000, 20_000],
    neiss: /^(COOKWARE|TABLEWARE|RANGES|ELECTRIC RANGES)/,
  },
  { key: 'ladder', title: 'Ladder', category: 'tools', price: [6_000, 40_000], neiss: /^LADDERS/ },
  {
    key: 'tools',
    title: 'Power tool saw',
    category: 'tools',
    price: [5_000, 40_000],
    neiss: /^(TOOLS|SAWS|POWER)/,
  },
  { key: 'footwear', title: 'Shoes boots', category: 'apparel', price: [3_000, 20_000], neiss: /^FOOTWEAR/ },
  {
    key: 'tv',
    title: 'Television TV',
    category: 'electronics',
    price: [20_000, 150_000],
    neiss: /^(TELEVISIONS|FANS|AIR CONDITIONERS)/,
  },
  { key: 'rug', title: 'Rug carpet', category: 'home', price: [4_000, 40_000], neiss: /^RUGS/ },
];

/** Hospital shorthand a customer would spell out. */
const SHORTHAND: [RegExp, string][] = [
  [/\bDX\b/g, '. '],
  [/\bLAC(S)?\b/g, 'laceration'],
  [/\bFX\b/g, 'fracture'],
  [/\bCHI\b/g, 'head injury'],
  [/\bCONT(S)?\b/g, 'contusion'],
  [/\bFOOSH\b/g, 'fell on an outstretched hand'],
  [/\bSDF\b/g, 'slipped and fell'],
  [/\bINJ\b/g, 'injury'],
  [/\bLT\b|\bL\b/g, 'left'],
  [/\bRT\b|\bR\b/g, 'right'],
  [/\bPT\b|\bPATIENT\b/g, 'they'],
  [/\bW\/|\bW\b/g, 'with'],
  [/\bC\/O\b|\bCO\b/g, 'complained of'],
  [/\bSTR\b/g, 'strain'],
  [/\*+/g, ''],
];

/** "39YOF LAC FINGER ON KNIFE" → "Laceration finger on knife." */
export function customerStyle(note: string): string {
  let text = note
    // The age and sex prefix (39YOF, 14 YM, 7MOF, 81 YR OLD FEMALE): a claimant does not open so.
    .replace(/^\s*\d+(\.\d+)?\s*(YO|Y|YR OLD|YEAR OLD|MO|MOS|M)?\s*(M|F|MALE|FEMALE)\b\s*/i, '')
    .replace(/\b\d+\s*(YO|YR OLD)\s*(M|F|MALE|FEMALE)\b/gi, '');
  for (const [pattern, spelt] of SHORTHAND) text = text.replace(pattern, spelt);
  text = text
    .replace(/\s+/g, ' ')
    .replace(/\s+\./g, '.')
    .replace(/^[\s.]+/, '')
    .trim()
    .toLowerCase();
  const sentences = text
    .split(/\.\s*/)
    .filter(Boolean)
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1));
  return `${sentences.join('. ')}.`;
}

const SERIOUS = /ADMITTED|HOSPITALIZED|TRANSFERRED|HELD FOR OBSERVATION|FATALITY/;

/** The first of these that exists, or null: $REDRESS_INCIDENTS_CSV, then ../shared/data from here and from the working folder. */
export function incidentsPath(): string | null {
  const file = 'neiss_2014_2023_sample_nontoy.csv';
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env.REDRESS_INCIDENTS_CSV,
    resolve(process.cwd(), '../shared/data/incidents', file),
    resolve(here, '../../../shared/data/incidents', file),
  ].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** The fixture a checkout without the shared data uses: twelve rows, cited in its README. */
export const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'neiss-sample.csv');

/** Reads the narratives of products a marketplace sells, in file order. */
export function loadIncidentStories(path: string = incidentsPath() ?? FIXTURE): IncidentStory[] {
  const rows = parse(readFileSync(path), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  const stories: IncidentStory[] = [];
  for (const row of rows) {
    const narrative = row.Narrative ?? row.Narrative_1 ?? '';
    if (!narrative || narrative.includes('***')) continue; // redacted by CPSC
    const product = CATALOGUE.find((c) =>
      [row.Product_1, row.Product_2, row.Product_3].some((p) => p && c.neiss.test(p)),
    );
    if (!product) continue;
    const { neiss: _, ...entry } = product;
    stories.push({
      caseNumber: row.CPSC_Case_Number ?? '',
      product: entry,
      narrative: customerStyle(narrative),
      serious: SERIOUS.test(row.Disposition ?? ''),
    });
  }
  return stories;
}
