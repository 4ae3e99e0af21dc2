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
