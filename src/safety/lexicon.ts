/**
 * The phrases that decide a claim's hazard and severity, the figures of speech that only look
 * like them, and the words that make a mention negated or hypothetical: data, not code. A
 * marketplace adds phrases of its own through its policy (`safety.extraTerms`). Long because it
 * is data: the vocabulary grows with each real narrative that taught us a phrase.
 */
export const HAZARDS = [
  'fire_burn',
  'electric_shock',
  'carbon_monoxide',
  'choking_ingestion',
  'laceration',
  'fall_tip_over',
  'chemical_toxic',
  'allergic_reaction',
  'strangulation_entrapment',
  'other',
] as const;
export type Hazard = (typeof HAZARDS)[number];

/**
 * A cue is a phrase read within one clause: words separated by spaces, alternatives by `|`,
 * whole alternative phrases by `;`. `burn*` is any word starting so, `*otomy` any word ending
 * so, `=lead` the surface word only (not the lemma of "led"), and `…` up to four words in
 * between. Each word matches the narrative's surface form or its lemma, so `fall off` matches
 * "fell off". `w` says how strongly the cue points to its hazard. `unless` names phrases that,
 * where they cover the cue, mean something else ("fire station", "the surgeon cut").
 */
export interface Cue {
  p: string;
  w: number;
  unless?: string[];
  /** The negation or modal belongs to the phrase ("did not survive"): it is always asserted. */
  fixed?: boolean;
}

const FIRE_SERVICE =
  'fire station|department|dept|truck|fighter*|man|men|marshal|crew|rescue|chief|service|brigade|hydrant|extinguisher|alarm';
/** "The surgeons had to cut into her stomach" is treatment, not a laceration. */
const CLINICIANS_CUTTING = [
  'surgeon*|surgery|surgeries|doctor*|dr|operation|operate*|fire*|paramedic* … cut*',
  'cut* … out|open',
  'cut* into … stomach|abdomen|belly|chest|bowel|intestine*',
];

export const HAZARD_CUES: Record<Exclude<Hazard, 'other'>, Cue[]> = {
  fire_burn: [
    { p: 'fire|fires|flame|flames|blaze|inferno', w: 2.5, unless: [FIRE_SERVICE] },
    { p: 'catch|caught fire; burst into flame*; catch|caught|set|light|start|started on fire', w: 3 },
    {
      p: 'burn|burnt|burned|burning|burns',
      w: 2.5,
      unless: [
        'chemical burn*',
        'burn* … esophagus|throat|oesophagus|stomach|hole|mouth|eye*|scalp|skin',
        'burn cream|ointment',
      ],
    },
    { p: 'scald*|scorch*|singe*|smoulder*|smolder*|charred|ignit*', w: 2.5 },
    { p: 'overheat*|melt|melted|melting|blister*|blistery', w: 2 },
    { p: 'smoke|smoking|smoked|smoky', w: 1.5 },
    { p: 'explode|exploded|explosion; blow|blew up', w: 1.5 },
    { p: 'spark|sparked|sparks|sparking', w: 1 },
    { p: 'thermal runaway', w: 3 },
    { p: 'hot|heat', w: 0.5 },
    { p: 'degree burn*; burn unit|center|centre|ward; skin graft*', w: 3 },
  ],
  electric_shock: [
    {
      p: 'shock|shocks|shocked|shocking',
      w: 3,
      unless: ['anaphylactic|hemorrhagic|haemorrhagic|toxic|septic|spinal shock'],
    },
    { p: 'electrocut*|zap|zapped|zaps; electric shock', w: 3.5 },
    { p: 'jolt|jolted|tingle|tingled|tingling|buzzed', w: 2 },
    { p: 'live|exposed|bare wire|wires|part|parts', w: 2 },
    { p: 'current|voltage|gfci|breaker|arc|arced|arcing', w: 1 },
  ],
  carbon_monoxide: [
    { p: 'carbon monoxide; monoxide', w: 4 },
    { p: 'co alarm*|detector*|level*|levels|poisoning|leak', w: 4 },
    { p: 'hyperbaric', w: 2 },
    { p: 'exhaust|ppm|generator', w: 1 },
  ],
  choking_ingestion: [
    { p: 'choke|choked|choking|chokes', w: 3 },
    { p: 'swallow*|ingest*|aspirat*|gag|gagged|gagging', w: 3 },
    { p: 'button|coin|lithium battery|batteries|cell|cells', w: 3 },
    { p: 'magnet|magnets; magnetic ball*', w: 2 },
    { p: 'water bead*', w: 3 },
    { p: 'bowel|intestinal obstruction|blockage', w: 2 },
    { p: 'airway|heimlich|windpipe; back blows', w: 2.5 },
    { p: 'lodge*|stuck in … throat|airway|windpipe|esophagus', w: 3 },
    { p: 'lodge*', w: 1.5 },
    { p: 'in … mouth', w: 1.5 },
    { p: 'small|tiny part*|piece*|ball*|bead*; inhale*', w: 1.5 },
    { p: 'ate|eat|eaten', w: 1 },
  ],
  laceration: [
    { p: 'cut|cuts|cutting', w: 2.5, unless: [...CLINICIANS_CUTTING, 'cut off', 'power cut'] },
    // `lac` is the clinicians' shorthand, as in emergency-department notes.
    { p: 'lacerat*|lac|lacs|gash*|slice|sliced|slicing', w: 3 },
    { p: 'stitch*|stiche*|suture*; steri strip*', w: 1.5 },
    { p: 'sharp|jagged|razor|blade|blades|shard*|shatter*; broken glass', w: 1.5 },
    { p: 'bleed*|bled|bleeding|blood', w: 1, unless: ['blood =lead', 'blood test*|level*'] },
    { p: 'amputat*|severed|sever', w: 2.5 },
    // Punctures and torn skin are wounds from the same sharp edges and points.
    { p: 'puncture*|punctured|impale*|impaling|deglov*; open wound*; openwound; skin tear|tears', w: 3 },
    {
      p: 'step|stepped|stepping on … nail|nails|screw|screws|tack|tacks|needle|needles|glass; drill* through|thru|into',
      w: 2.5,
    },
  ],
  fall_tip_over: [
    { p: 'tip|tipped|tips|tipping|tilt*', w: 2.5, unless: ['cool|finger tip'] },
    { p: 'topple*|collapse*|capsiz*', w: 2.5 },
    { p: 'flip|flipped|flips|flipping', w: 2.5 },
    {
      p: 'fall|fell|falls|falling|fallen',
      w: 1.5,
      unless: ['fall|fell … apart', 'battery|batteries|piece*|part*|button* … fall|fell out'],
    },
    { p: 'fall|fell over|off|through|backward*|forward*|from|down|onto', w: 1.5 },
    { p: 'give|gave way', w: 2.5 },
    { p: 'roll|rolled|rolls over|off|into', w: 2 },
    { p: 'come|came off|loose|apart|unlocked|detach*', w: 1.5, unless: ['come|came off … mouth'] },
    { p: 'snap|snapped|broke|buckled|bent|crack*|detached', w: 0.75 },
    { p: 'crush*|crash*; go|went over; throw|threw … off', w: 1.5 },
    { p: 'unstable|wobbl*|fracture*|broken|concussion|skull; head injury', w: 0.5 },
  ],
  chemical_toxic: [
    {
      p: 'chemical*|toxic|toxin*|poison*|caustic|corrosive',
      w: 2.5,
      unless: ['poison control|center|centre'],
    },
    { p: 'poison control|center|centre', w: 1 },
    { p: 'acid|bleach|ammonia|borax|lye|solvent*|formaldehyde|cadmium|phthalate*|benzene', w: 2.5 },
    { p: '=lead paint|level*|poisoning|test*; blood|high|elevated =lead', w: 4 },
    { p: 'positive|tested|contain*|found … =lead; =lead in … paint|toy|blood', w: 3 },
    { p: 'fume*|vapour*|vapor*', w: 1.5 },
    { p: 'odor|odour|smell', w: 1 },
    { p: 'laundry|dishwasher|detergent pod*', w: 3 },
    { p: 'cleaner|detergent|drank|drink', w: 1 },
    // A child who swallowed medicine is poisoned, not choked: it outweighs the swallowing (but
    // not a stated choking as well). Not "tablet" or "capsule": a tablet computer, a coffee capsule.
    {
      p: 'pill|pills|medication|medications|medicine|medicines|meds|opioid*|overdose|overdosed; cough|cold|flu syrup; non toxic|nontoxic substance',
      w: 5,
      unless: ['medicine|medication|pill cabinet|cabinets|chest|cup|cups|dropper|spoon|organizer|organiser'],
    },
  ],
  allergic_reaction: [
    { p: 'allerg*|anaphyla*|hives|epipen*|antihistamine*', w: 3 },
    { p: 'rash|rashes|eczema|dermatitis', w: 2.5 },
    { p: 'itch*|swell*|swollen', w: 1 },
    { p: 'reaction', w: 1.5 },
    { p: 'latex', w: 2 },
  ],
  strangulation_entrapment: [
    { p: 'strangl*|strangulat*|suffocat*|asphyx*|smother*|hanged', w: 4 },
    { p: 'around|round … neck|throat', w: 4.5 },
    { p: 'neck', w: 1 },
    { p: 'entrap*|trap|trapped|wedge*|entangl*|tangl*', w: 3 },
    { p: 'cord|strap|string|drawstring|tie wrapped|wrap*|caught', w: 1.5 },
    { p: 'blind|window cord*', w: 3 },
    {
      p: 'stuck|caught between|in|under',
      w: 2.5,
      unless: ['stuck in … throat|airway|esophagus|bowel|intestine*|mouth'],
    },
    { p: 'head|arm|leg|finger*|hand|foot get|got|was|became|gets stuck|caught|trapped', w: 2 },
    { p: 'gap|slat*|hinge|rail', w: 1 },
    { p: 'pinch*; close|closed|closes on; face|head|nose … pressed|pushed into|against', w: 1.5 },
    { p: 'could|can not breathe; cannot|couldnt breathe', w: 2.5, fixed: true },
    { p: 'not breathing; stop|stopped breathing; limp|blue', w: 0.5, fixed: true },
  ],
};

/** Phrases that assert a death. */
export const DEATH_CUES: Cue[] = [
  {
    p: 'die|died|dies|death|dead|deceased|fatal|fatally|fatality|kill|killed; pass|passed away',
    w: 1,
    // "the voice of his dead father", "my late husband's": someone's earlier death, not this harm.
    unless: [
      'dead|deceased father|mother|dad|mom|husband|wife|son|daughter|brother|sister|grandmother|grandfather|grandma|grandpa|parent|parents|friend',
    ],
  },
  { p: 'pronounce*|declare* … dead|deceased|death; brain dead; lost … life|lives', w: 1 },
  { p: 'coroner|autopsy|funeral; medical examiner', w: 1 },
  // Emergency-department shorthand: dead on arrival, "PT EXPIRED", "EXPIRED IN ER". A product
  // "expired" is a date ("my son's car seat had expired"), so the patient must be its subject or
  // the place be named.
  {
    p: 'doa; dead on arrival; pt|patient|he|she|child|baby|infant|toddler expired; expired in|at … er|ed|hospital|scene|department|field; time of death',
    w: 1,
  },
  {
    p: 'do|did|does not survive|make; could|can|did not save|revive|resuscitate; could|can not be saved|revived|resuscitated; never woke|wake up',
    w: 1,
    fixed: true,
  },
];

/** Phrases that assert a hospital admission, or harm that always means one. */
export const HOSPITAL_CUES: Cue[] = [
  {
    p: 'admit|admitted|admission|adm|hospitaliz*|hospitalis*',
    w: 1,
    // "admits to drinking", "admitted that it was old": the other sense of admit.
    unless: [
      '=admits',
      'admit* that|fault|responsibility|it|etoh|alcohol|drug|drugs|drinking|marijuana|thc',
      'admit* to drinking|using|smoking|etoh|alcohol|drugs|marijuana',
    ],
  },
  // Coders' shorthand for where the patient went: "ADM TO SICU", "TO OR", "ORIF", "S/P EX LAP".
  { p: 'sicu|micu|ccu|tsicu|stepdown; step down unit', w: 1 },
  { p: 'to|taken|brought|went the or; to or|surgery for; orif|exlap; ex lap', w: 1 },
  { p: 'icu|picu|nicu; intensive care; burn unit|center|centre|ward; trauma center|unit', w: 1 },
  { p: 'surgery|surgeries|surgical|surgeon*|neurosurgery|operation|operated; operate on', w: 1 },
  { p: '*otomy|*ectomy|*oscopy|*oscopic|*plasty|*ostomy', w: 1 },
  {
    p: 'intubat*|ventilator|resuscitat*|cpr|hyperbaric|airlift*; life support|flight; breathing tube; skin graft*',
    w: 1,
  },
  { p: 'unresponsive|unconscious|coma; lost consciousness', w: 1 },
  // Sent on to another hospital for care the first could not give (NEISS counts it with admissions).
  { p: 'transferred|transfered|airlifted|flown to … hospital|trauma|childrens|burn', w: 1 },
  // "PT TRANSFERRED", "XFER TO PEDS": the patient sent on. Consumers' "she transferred me to
  // another agent" is a telephone call, so only the clinical subject and destinations count.
  {
    p: 'pt|patient transferred|transfered|xferred|xfered|xfer; xfer|xfered|xferred to … peds|pediatric|tertiary|level|higher|another|facility|center|centre|cmc|childrens; transfer|transferred|transfered to … peds|pediatric|tertiary|cmc|icu',
    w: 1,
  },
  { p: 'bowel|intestinal obstruction; perforat*; brain bleed', w: 1 },
  { p: 'kept|stayed|spent|stay|keep … night|nights|days|overnight|week', w: 1 },
  { p: 'hospital … overnight|night|nights|days|week|weeks; overnight … hospital|observation', w: 1 },
  { p: 'night|nights|days|week|weeks in … hospital', w: 1 },
];

/**
 * Injuries that usually mean a hospital stay though the narrative does not say so (a hip or
 * skull fracture, a bleed on the brain). They never make a claim severe on their own, which
 * would alert on a guess; they send it to a person to confirm.
 */
export const LIKELY_SEVERE_CUES: Cue[] = [
  {
    p: 'hip|femur|femoral|pelvis|pelvic|skull|spine|spinal|vertebra*|intertrochanteric|acetabul*|sacrum|sacral|odontoid|cervical|thoracic|lumbar … fracture*|fx|fxs; fractured|broke|broken … hip|femur|pelvis|skull|spine|neck; fracture*|fx|fxs … hip|femur|pelvis|skull',
    w: 1,
  },
  {
    p: 'subdural|subarachnoid|intracranial|intraparenchymal|intraventricular|epidural hematoma|hemorrhage|haemorrhage|bleed; hemorrhag*|haemorrhag*; sdh|sah|ich|ivh|edh',
    w: 1,
  },
  // Injured organs in the chest and belly: the coders' "INTERNAL INJURY" findings.
  {
    p: 'pneumothorax|hemothorax|hemopneumothorax|ptx; spleen|splenic|liver|hepatic|kidney|renal|lung|pulmonary|bowel … lac|laceration|rupture*|contusion|injur*; ruptured spleen|bowel',
    w: 1,
  },
  // Burn-centre referral criteria: any full-thickness burn; a partial-thickness one of the face,
  // hands, feet, groin or over a joint.
  {
    p: 'third|3rd degree; full thickness burn*; partial thickness … face|hand|hands|foot|feet|genital*|groin|perine*; 2nd|second degree … face|hand|hands|foot|feet|genital*|groin|perine*',
    w: 1,
  },
  { p: 'internal injur*|bleeding', w: 1 },
  // Illnesses that are admitted on their own (the fall was their symptom, not their cause).
  {
    p: 'sepsis|septic|stroke|cva|infarction|nstemi|stemi; heart attack; resp|respiratory failure; smoke inhalation; hypoxic|anoxic|anoxia',
    w: 1,
  },
];

/**
 * Injuries that usually mean a hospital stay at 65 and over, not in the young: fragility
 * fractures of the arm bone, the leg below the knee and the ribs. Read only when the narrative
 * gives the person's age ("74YOM", "my 80-year-old mother", "elderly").
 */
export const LIKELY_SEVERE_ELDERLY_CUES: Cue[] = [
  { p: 'humerus|humeral|tibia|tibial|fibula|fibular|plateau … fracture*|fx|fxs', w: 1 },
  { p: 'fracture*|fx|fxs … humerus|tibia|fibula', w: 1 },
];
/** From this age the elderly cues apply. */
export const ELDERLY_AGE = 65;

/** Phrases that assert medical treatment short of a hospital stay. */
export const TREATMENT_CUES: Cue[] = [
  {
    p: 'doctor*|dr|physician|pediatrician|paediatrician|dermatologist|dentist|gp|nurse|pharmacist|optometrist|md',
    w: 1,
  },
  {
    p: 'er|a&e|emergency|hospital|hosp|clinic|ambulance|paramedic*|911|ems|ed|bibems; urgent care; poison control',
    w: 1,
  },
  { p: 'stitch*|stiche*|suture*|glue|glued|cast|splint; steri strip*', w: 1 },
  {
    p: 'fracture*|fx|concussion; broke|broken … arm|wrist|leg|collarbone|hip|femur|bone*|pelvis|rib*|tooth|skull|ankle|nose',
    w: 1,
  },
  { p: 'x ray|rays; xray|xrays|x-ray|x-rays|ct|mri|scan|ecg|ekg|dx', w: 1 },
  { p: 'treat|treated|prescri*|antihistamine*|steroid*|prednisone|oxygen|ointment|examine*', w: 1 },
];

/**
 * Figures of speech that name a hazard or a death without one: they are removed before any cue
 * is read. "Scared to death", "the battery died", "shocked to find".
 */
export const IDIOMS: string[] = [
  'scare*|frighten*|bore*|worr*|startl*|terrif*|freak* … to death',
  'battery|batteries|phone|remote|light|bulb|outlet|engine|car|motor|screen|charger|laptop|speaker|headphone*|earbud*|product|device|unit|torch|flashlight|plant|it|thing … die|died|dies|dead|dying',
  'dead battery|batteries|outlet|phone|bulb|pixel|pixels|spot|spots|zone|end',
  'shock* to find|see|learn|hear|discover|know',
  'shock* at|that|how',
  'so|very|really|totally|absolutely shocked',
  'to die for; dying to; death trap; kill time',
];

/** Words that, before a cue in its clause, make it something that did not happen. */
export const NEGATORS = new Set([
  'no',
  'not',
  'never',
  'without',
  'nobody',
  'none',
  'nothing',
  'neither',
  'nor',
  'didnt',
  'dont',
  'doesnt',
  'wasnt',
  'werent',
  'havent',
  'hasnt',
  'hadnt',
  'isnt',
  'arent',
  'wouldnt',
]);

/** Words that, before a cue in its clause, make it something that could have happened. */
export const HYPOTHETICAL_MARKERS = new Set([
  'could',
  'would',
  'might',
  'may',
  'should',
  'couldve',
  'wouldve',
  'almost',
  'nearly',
  'practically',
  'if',
  'thought',
  'think',
  'afraid',
  'fear',
  'feared',
  'worried',
  'risk',
  'danger',
  'dangerous',
  'potential',
  'potentially',
  'possible',
  'possibly',
  'chance',
  'gonna',
  'imagine',
  'waiting',
  'yet',
]);

/** Words that end a clause: a negation or a "could have" does not reach past them. */
export const CLAUSE_BREAKS = new Set([
  'and',
  'but',
  'so',
  'then',
  'because',
  'while',
  'after',
  'until',
  'though',
  'although',
  'when',
  'which',
  'who',
  'where',
  'however',
  'luckily',
  'thankfully',
  // Emergency-department notes run on without punctuation; "DX" starts the diagnosis, so
  // "NO LOC DX PELVIS FX" does not deny the fracture.
  'dx',
]);

/**
 * Findings a clinician denies in passing, "NO INJURY", "NO LOC": the denial covers the finding
 * only, so "FALL NO INJURY ADMITTED FOR PNEUMONIA" still states the admission. Not when a word
 * ties the finding to what follows ("no injury requiring admission").
 */
export const CLOSED_NEGATIONS = new Set(['injury', 'injuries', 'inj', 'injs', 'loc', 'ko', 'trauma']);
export const NEGATION_CARRIERS = new Set([
  'requiring',
  'required',
  'requires',
  'needing',
  'needed',
  'needs',
  'that',
  'which',
  'to',
  'or',
  'nor',
  'worth',
  'serious',
]);

/**
 * How much a product category leans towards a hazard before a word is read: a heater's claim is
 * more often a fire than a cut. Small, so that the narrative decides whenever it says anything.
 */
export const CATEGORY_PRIORS: Record<string, Partial<Record<Hazard, number>>> = {
  heating: { fire_burn: 0.75, carbon_monoxide: 0.5 },
  kitchen_appliances: { fire_burn: 0.75, laceration: 0.25 },
  electronics: { fire_burn: 0.5, electric_shock: 0.5 },
  lighting: { electric_shock: 0.5, fire_burn: 0.5 },
  toys: { choking_ingestion: 0.75, laceration: 0.25 },
  baby_products: { strangulation_entrapment: 0.75, choking_ingestion: 0.5 },
  furniture: { fall_tip_over: 0.75 },
  cosmetics: { allergic_reaction: 0.75, chemical_toxic: 0.5 },
  cleaning_products: { chemical_toxic: 0.75 },
  tools: { laceration: 0.75 },
  detectors: { carbon_monoxide: 0.75, fire_burn: 0.25 },
};

/** Below this score nothing was said clearly enough: the hazard is `other`. */
export const MIN_HAZARD_SCORE = 1.5;

/** Severity, lowest first; personal injury ranks above property damage. */
export const SEVERITIES = [
  'property_damage',
  'injury',
  'medical_treatment',
  'hospitalisation',
  'death',
] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Words suggesting the product is not genuine: a flag for the brand-protection team. */
export const COUNTERFEIT_TERMS = [
  'counterfeit*',
  'fake',
  'knock-off',
  'knockoff',
  'not genuine',
  'not the genuine',
  'not authentic',
  'wrong logo',
  'misspelled',
  'misspelt',
  'no ul mark',
  'no ul listing',
  'no ce mark',
  'fake ce',
  'missing certification',
  'no certification',
  'different from the brand',
];
