import type { Random } from './random.ts';

/** Honest narratives vary in wording; abusive ones copy a template across claimants. */
const HAZARDS: Record<string, string[]> = {
  kitchen_appliances: [
    'overheated and scorched the counter',
    'leaked boiling water onto the floor',
    'sparked at the plug and burned the cord',
  ],
  heating: [
    'tipped over and singed the rug',
    'overheated and melted the casing',
    'set the curtains smouldering',
  ],
  electronics: [
    'swelled and burst while charging',
    'melted the charging cable',
    'gave an electric shock when plugged in',
  ],
  toys: [
    'broke into small sharp pieces',
    'lost a button battery that was swallowed',
    'pinched a finger in the hinge',
  ],
  furniture: ['collapsed when sat on', 'tipped over onto the floor', 'split along the leg joint'],
};

const OPENERS = [
  'Yesterday evening',
  'Last week',
  'Two days after it arrived',
  'This morning',
  'While in normal use',
  'On Sunday',
];
const ENDINGS = [
  'I have photos and the receipt.',
  'A repair quote is attached.',
  'We had to throw away what was damaged.',
  'I needed to see a doctor afterwards.',
  'Nobody was hurt but the damage is real.',
];

const PLACES = [
  'in the kitchen',
  'in the bedroom',
  'in my office',
  'in the living room',
  'in the garage',
  'on the porch',
  'in the kids room',
  'in the hallway',
];
const WHO = [
  'my partner',
  'my son',
  'my daughter',
  'our guest',
  'my father',
  'I',
  'my roommate',
  'the babysitter',
];
const NOTICED = [
  'noticed a burning smell',
  'heard a loud pop',
  'saw smoke',
  'felt it get very hot',
  'saw sparks',
  'heard a crack',
  'smelled melting plastic',
];
const DAMAGED = [
  'the table',
  'the carpet',
  'a wall socket',
  'the curtains',
  'a bookshelf',
  'the floorboards',
  'my jacket',
  'the window sill',
  'a laptop',
];
const AFTER = [
  'We unplugged it at once.',
  'We called the fire brigade.',
  'I took pictures straight away.',
  'The smoke alarm went off.',
  'We aired the room for hours.',
  'I kept the unit for inspection.',
];

/** Honest claimants tell their own story: many independent details, so no two read alike. */
export function honestNarrative(random: Random, product: { title: string; category: string }): string {
  const hazard = random.pick(HAZARDS[product.category] ?? ['stopped working and caused damage']);
  return [
    `${random.pick(OPENERS)} ${random.pick(PLACES)} the ${product.title.toLowerCase()} ${hazard}.`,
    `${random.pick(WHO)} ${random.pick(NOTICED)} around ${random.int(1, 12)} ${random.pick(['am', 'pm'])}`,
    `and it damaged ${random.pick(DAMAGED)} and ${random.pick(DAMAGED)}.`,
    random.pick(AFTER),
    random.pick(ENDINGS),
  ].join(' ');
}

/** What a ring or a copy-paste abuser reuses: the same words, give or take a detail. */
export function copiedNarrative(template: string, random: Random): string {
  return random.chance(0.5) ? template : template.replace(/\.$/, ', please refund quickly.');
}

export const CATEGORIES = Object.keys(HAZARDS);

/**
 * Another claimant's story retold: clauses reordered, content words swapped for synonyms,
 * tenses changed, a lead-in and a closing of one's own. What a careful abuser does to a story
 * that MinHash over word shingles would catch as a copy (docs/screening.md measures it).
 */
const SYNONYMS: Record<string, string[]> = {
  fell: ['tumbled', 'dropped', 'went down'],
  fall: ['tumble', 'drop'],
  falling: ['tumbling', 'dropping'],
  cut: ['sliced', 'nicked', 'gashed'],
  cutting: ['slicing', 'chopping'],
  hit: ['struck', 'banged', 'knocked'],
  hitting: ['striking', 'banging'],
  injury: ['wound', 'harm', 'trauma'],
  injured: ['hurt', 'wounded'],
  pain: ['ache', 'soreness'],
  laceration: ['gash', 'deep cut', 'wound'],
  fracture: ['break', 'broken bone', 'fractured bone'],
  diagnosed: ['found', 'confirmed', 'said it was'],
  doctor: ['physician', 'er doctor', 'hospital'],
  slipped: ['skidded', 'lost footing'],
  getting: ['climbing', 'stepping'],
  floor: ['ground', 'floorboards'],
  strained: ['pulled', 'twisted'],
  sprain: ['twist', 'sprained joint'],
  head: ['skull', 'forehead'],
  hand: ['palm', 'hand'],
  finger: ['fingertip', 'digit'],
  knife: ['blade', 'kitchen knife'],
  bike: ['bicycle', 'cycle'],
  bicycle: ['bike', 'cycle'],
  riding: ['cycling on', 'using'],
  bed: ['bedframe', 'bed'],
  broke: ['snapped', 'gave way'],
  while: ['as', 'when'],
  when: ['as', 'while'],
  onto: ['on to', 'against'],
  off: ['from', 'off of'],
  using: ['handling', 'working with'],
  contusion: ['bruise', 'bruising'],
  swelling: ['swollen area', 'puffiness'],
};
const LEAD_INS = ['To explain what happened:', 'Here is what happened.', 'I want to report this.', ''];
const CLOSINGS = ['Please process my claim.', 'I have the bills.', 'I would like to be reimbursed.', ''];

export function paraphrasedNarrative(original: string, random: Random, swapShare = 0.6): string {
  const clauses = original
    .replace(/\.$/, '')
    .split(/\.\s+|,\s+|\s+and\s+|\s+then\s+/i)
    .map((c) => c.trim())
    .filter(Boolean);
  // Reorder: the clauses come in another order (a rotation keeps some sense, a shuffle none).
  const start = clauses.length > 1 ? random.int(1, clauses.length - 1) : 0;
  const reordered = [...clauses.slice(start), ...clauses.slice(0, start)];
  const swapped = reordered.map((clause) =>
    clause
      .split(/\s+/)
      .map((word) => {
        const options = SYNONYMS[word.toLowerCase()];
        return options && random.chance(swapShare) ? random.pick(options) : word;
      })
      .join(' '),
  );
  const body = swapped.map((c) => c.charAt(0).toLowerCase() + c.slice(1)).join(', and ');
  const told = `${body.charAt(0).toUpperCase()}${body.slice(1)}.`;
  return [random.pick(LEAD_INS), told, random.pick(CLOSINGS)].filter(Boolean).join(' ');
}
