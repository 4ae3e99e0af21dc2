import type { Hazard, Severity } from '../../src/safety/lexicon.ts';

/**
 * Claim narratives labelled by hand with their hazard and severity, written in the plain words
 * customers use (modelled on the public incident reports of recalled product types, not on the
 * lexicon). The classifier's accuracy per hazard is measured on them (hazards.test.ts and
 * `npm run bench -- hazards`); a new term in the lexicon must not lower it.
 */
export interface LabelledClaim {
  type: 'property_damage' | 'personal_injury';
  category: string;
  description: string;
  damageKinds?: string[];
  hazard: Hazard;
  severity: Severity;
}

const pi = 'personal_injury' as const;
const pd = 'property_damage' as const;

export const LABELLED_CLAIMS: LabelledClaim[] = [
  // fire / burn
  {
    type: pd,
    category: 'electronics',
    description:
      'The power bank swelled up overnight and caught fire on the nightstand, the lamp and the wall are black.',
    hazard: 'fire_burn',
    severity: 'property_damage',
  },
  {
    type: pi,
    category: 'kitchen_appliances',
    description:
      'The kettle lid popped open while pouring and boiling water scalded my forearm. Went to urgent care for the blisters.',
    hazard: 'fire_burn',
    severity: 'medical_treatment',
  },
  {
    type: pd,
    category: 'heating',
    description: 'Space heater overheated, the plastic casing melted and scorched the carpet underneath.',
    hazard: 'fire_burn',
    severity: 'property_damage',
  },
  {
    type: pi,
    category: 'lighting',
    description:
      'The string lights started smoking and one bulb burst into flames, I burned my hand putting it out.',
    hazard: 'fire_burn',
    severity: 'injury',
  },
  {
    type: pd,
    category: 'electronics',
    description:
      'Phone charger got extremely hot and left a charred mark on the desk, smelled of burning plastic.',
    hazard: 'fire_burn',
    severity: 'property_damage',
  },
  {
    type: pi,
    category: 'kitchen_appliances',
    description:
      'Air fryer ignited while cooking; the kitchen cabinet caught fire and my husband was admitted to the burn unit.',
    hazard: 'fire_burn',
    severity: 'hospitalisation',
  },
  {
    type: pd,
    category: 'electronics',
    description:
      'The e-bike battery exploded in the garage while charging and the fire destroyed the car next to it.',
    hazard: 'fire_burn',
    severity: 'property_damage',
  },
  {
    type: pi,
    category: 'heating',
    description:
      'The electric blanket controller got so hot it left second degree burns on my leg, the doctor dressed them.',
    hazard: 'fire_burn',
    severity: 'medical_treatment',
  },
  // electric shock
  {
    type: pi,
    category: 'electronics',
    description:
      'When I touched the metal case of the laptop charger I got a strong shock that threw my hand back.',
    hazard: 'electric_shock',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'lighting',
    description:
      'The desk lamp has exposed wires at the base and my son was electrocuted, he was taken by ambulance and kept overnight in hospital.',
    hazard: 'electric_shock',
    severity: 'hospitalisation',
  },
  {
    type: pi,
    category: 'kitchen_appliances',
    description: 'Felt a tingling then a jolt through my arm every time I used the blender with wet hands.',
    hazard: 'electric_shock',
    severity: 'injury',
  },
  {
    type: pd,
    category: 'electronics',
    description:
      'The extension lead arced at the socket and tripped the breaker, now two outlets in the room are dead.',
    hazard: 'electric_shock',
    severity: 'property_damage',
  },
  {
    type: pi,
    category: 'heating',
    description:
      'Hair dryer gave me an electric shock in the bathroom; I saw a doctor because my heart was racing.',
    hazard: 'electric_shock',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'tools',
    description: 'Drill has no proper earthing and the current went through me when I drilled into the wall.',
    hazard: 'electric_shock',
    severity: 'injury',
  },
  // carbon monoxide
  {
    type: pi,
    category: 'detectors',
    description:
      'The CO detector never went off although the furnace was leaking; the whole family had headaches and the fire department measured high carbon monoxide.',
    hazard: 'carbon_monoxide',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'heating',
    description:
      'Used the portable propane heater in the tent as instructed and we woke up dizzy and vomiting, diagnosed with carbon monoxide poisoning at the emergency room.',
    hazard: 'carbon_monoxide',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'detectors',
    description:
      'Our CO alarm did not sound. My mother was hospitalised with monoxide poisoning for three days.',
    hazard: 'carbon_monoxide',
    severity: 'hospitalisation',
  },
  {
    type: pd,
    category: 'detectors',
    description:
      'The carbon monoxide alarm failed its test out of the box and the gas company found a leak the next week.',
    hazard: 'carbon_monoxide',
    severity: 'property_damage',
  },
  {
    type: pi,
    category: 'heating',
    description: 'Generator exhaust came back into the house, my dad died from carbon monoxide while asleep.',
    hazard: 'carbon_monoxide',
    severity: 'death',
  },
  {
    type: pi,
    category: 'detectors',
    description:
      'Detector failed to warn us, we got sick from the fumes of the boiler and were treated with oxygen; the paramedics said CO levels were dangerous.',
    hazard: 'carbon_monoxide',
    severity: 'medical_treatment',
  },
  // choking / ingestion
  {
    type: pi,
    category: 'toys',
    description:
      'A wheel came off the toy car and my toddler put it in his mouth and started choking, I had to do back blows.',
    hazard: 'choking_ingestion',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'toys',
    description:
      'My daughter swallowed two of the magnetic balls from the set and needed surgery to remove them.',
    hazard: 'choking_ingestion',
    severity: 'hospitalisation',
  },
  {
    type: pi,
    category: 'electronics',
    description:
      'The battery cover of the remote is loose and our baby ingested a button battery, we went to the emergency room for an x-ray.',
    hazard: 'choking_ingestion',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'baby_products',
    description:
      'The teether cracked and a small piece lodged in the back of her throat, she was gagging until it came out.',
    hazard: 'choking_ingestion',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'toys',
    description:
      'The eyes on the plush toy pull off easily and my son choked on one; the doctor checked his airway.',
    hazard: 'choking_ingestion',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'kitchen_appliances',
    description:
      'Found metal shards from the blender blade in the smoothie after drinking some, had to get checked at the clinic.',
    hazard: 'choking_ingestion',
    severity: 'medical_treatment',
  },
  // laceration
  {
    type: pi,
    category: 'kitchen_appliances',
    description: 'The glass jug shattered in my hand while washing it and I needed six stitches in my palm.',
    hazard: 'laceration',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'tools',
    description: 'The blade guard on the saw snapped off and the blade sliced my thumb, lots of bleeding.',
    hazard: 'laceration',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'furniture',
    description: 'The metal frame has a razor sharp edge under the seat; my child gashed her leg on it.',
    hazard: 'laceration',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'kitchen_appliances',
    description:
      'Mandoline slicer has no hand guard as advertised and I cut the tip of my finger, the GP glued it.',
    hazard: 'laceration',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'toys',
    description: 'The plastic sword broke into jagged pieces and cut my son near the eye.',
    hazard: 'laceration',
    severity: 'injury',
  },
  {
    type: pd,
    category: 'furniture',
    description:
      'The glass table top shattered on its own in the night and the shards cut through the rug and scratched the floor.',
    hazard: 'laceration',
    severity: 'property_damage',
  },
  // fall / tip-over
  {
    type: pi,
    category: 'furniture',
    description:
      'The dresser tipped over onto my four year old when she opened the top drawer, she was pinned until I lifted it.',
    hazard: 'fall_tip_over',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'furniture',
    description:
      'The office chair base gave way and I fell backwards onto the floor, cracked a rib according to the x-ray.',
    hazard: 'fall_tip_over',
    severity: 'medical_treatment',
  },
  {
    type: pd,
    category: 'furniture',
    description: 'The bookcase toppled forward even though it was half full and smashed the TV.',
    hazard: 'fall_tip_over',
    severity: 'property_damage',
  },
  {
    type: pi,
    category: 'tools',
    description:
      'The step ladder collapsed under me at the second step and I broke my wrist, surgery was needed.',
    hazard: 'fall_tip_over',
    severity: 'hospitalisation',
  },
  {
    type: pi,
    category: 'baby_products',
    description:
      'The high chair is unstable and fell over sideways with my son in it, he hit his head on the tiles.',
    hazard: 'fall_tip_over',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'furniture',
    description: 'TV stand collapsed and the television fell on my foot.',
    hazard: 'fall_tip_over',
    severity: 'injury',
  },
  // chemical / toxic
  {
    type: pi,
    category: 'cleaning_products',
    description:
      'The drain cleaner bottle leaked in the cupboard and the corrosive liquid burned through my glove onto my skin.',
    hazard: 'chemical_toxic',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'toys',
    description:
      'A lab test showed the paint on the wooden blocks contains lead; our son has raised lead levels per his pediatrician.',
    hazard: 'chemical_toxic',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'furniture',
    description:
      'The new mattress gives off a strong chemical smell, we had sore throats and headaches from the fumes for a week.',
    hazard: 'chemical_toxic',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'cosmetics',
    description:
      'The nail polish remover is labelled non-toxic but the vapour made my daughter faint in her room.',
    hazard: 'chemical_toxic',
    severity: 'injury',
  },
  {
    type: pd,
    category: 'cleaning_products',
    description: 'Oven spray is so acidic it stripped the enamel and ate through the seals of the oven.',
    hazard: 'chemical_toxic',
    severity: 'property_damage',
  },
  {
    type: pi,
    category: 'baby_products',
    description:
      'Our baby chewed the bath toy and there was black mould and a solvent smell inside, she was sick and the doctor prescribed medicine.',
    hazard: 'chemical_toxic',
    severity: 'medical_treatment',
  },
  // allergic reaction
  {
    type: pi,
    category: 'cosmetics',
    description: 'After one use of the face cream I broke out in hives all over my face and neck.',
    hazard: 'allergic_reaction',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'cosmetics',
    description:
      'The hair dye caused a severe allergic reaction, my scalp and eyes swelled shut and I was hospitalised for two nights.',
    hazard: 'allergic_reaction',
    severity: 'hospitalisation',
  },
  {
    type: pi,
    category: 'baby_products',
    description:
      'The gloves are labelled latex free but my daughter, who is allergic to latex, got an itchy red rash within minutes.',
    hazard: 'allergic_reaction',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'kitchen_appliances',
    description:
      'The snack maker came with peanut oil residue not mentioned anywhere; my son went into anaphylaxis and we used his EpiPen.',
    hazard: 'allergic_reaction',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'cosmetics',
    description:
      'Sunscreen gave me a blistering rash; the dermatologist prescribed steroid cream for contact dermatitis.',
    hazard: 'allergic_reaction',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'furniture',
    description:
      'Since the new sofa arrived my eczema flared up badly and my skin is itching, the fabric treatment is the only change.',
    hazard: 'allergic_reaction',
    severity: 'injury',
  },
  // strangulation / entrapment
  {
    type: pi,
    category: 'baby_products',
    description:
      "The blind cord had no safety tension device and it looped around my toddler's neck by the window.",
    hazard: 'strangulation_entrapment',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'baby_products',
    description:
      "My baby's leg got trapped between the crib slats and we needed the fire brigade to free her.",
    hazard: 'strangulation_entrapment',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'furniture',
    description:
      'The folding bed snapped shut with my son inside, he was wedged in the mechanism and had bruises on his chest.',
    hazard: 'strangulation_entrapment',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'toys',
    description:
      'The drawstring on the costume hood got caught on the slide and strangled my daughter for a moment, she was checked at the hospital and sent home.',
    hazard: 'strangulation_entrapment',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'baby_products',
    description: 'Infant died after becoming entrapped between the mattress and the side of the sleeper.',
    hazard: 'strangulation_entrapment',
    severity: 'death',
  },
  {
    type: pi,
    category: 'furniture',
    description:
      "The recliner footrest closed on my grandson's arm and he was stuck in it until we took it apart.",
    hazard: 'strangulation_entrapment',
    severity: 'injury',
  },
  // other
  {
    type: pd,
    category: 'furniture',
    description: 'The wardrobe arrived with the wrong panels and a water stain, not what I ordered.',
    hazard: 'other',
    severity: 'property_damage',
  },
  {
    type: pd,
    category: 'electronics',
    description: 'The speaker stopped working after a week and the app will not pair any more.',
    hazard: 'other',
    severity: 'property_damage',
  },
  {
    type: pi,
    category: 'toys',
    description: 'The toy is much louder than advertised and my son says his ears ring after playing.',
    hazard: 'other',
    severity: 'injury',
  },
  {
    type: pd,
    category: 'kitchen_appliances',
    description: 'The fridge door seal is loose so everything inside spoiled while we were on holiday.',
    hazard: 'other',
    severity: 'property_damage',
  },
];

/**
 * Written after the lexicon was last changed and never used to change it: the honest measure
 * of how the classifier does on narratives it was not tuned on.
 */
export const HELD_OUT_CLAIMS: LabelledClaim[] = [
  {
    type: pd,
    category: 'heating',
    description:
      'Oil radiator leaked and the socket behind it went up in flames, we lost the curtains and part of the wall.',
    hazard: 'fire_burn',
    severity: 'property_damage',
  },
  {
    type: pi,
    category: 'kitchen_appliances',
    description: 'Pressure cooker lid blew off and hot soup hit my face, I was treated at the burns clinic.',
    hazard: 'fire_burn',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'electronics',
    description:
      'Vape pen exploded in my pocket leaving a large burn on my thigh; I spent four days in hospital and had a skin graft.',
    hazard: 'fire_burn',
    severity: 'hospitalisation',
  },
  {
    type: pi,
    category: 'lighting',
    description:
      'Touching the floor lamp switch gave my wife a nasty electric shock, her arm was numb for hours.',
    hazard: 'electric_shock',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'tools',
    description:
      'The hedge trimmer cable insulation split and I was shocked through the handle; went to A&E to get an ECG.',
    hazard: 'electric_shock',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'detectors',
    description:
      'The combination smoke and CO detector stayed silent while the water heater vented into the basement; the kids were dizzy and nauseous.',
    hazard: 'carbon_monoxide',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'heating',
    description:
      'Used the camping heater in the caravan and my partner collapsed; hospital confirmed carbon monoxide and kept her in intensive care.',
    hazard: 'carbon_monoxide',
    severity: 'hospitalisation',
  },
  {
    type: pi,
    category: 'toys',
    description:
      "A bead from the bracelet kit went down my niece's throat and she could not breathe for a few seconds.",
    hazard: 'choking_ingestion',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'baby_products',
    description: "The pacifier shield split and the nipple came off in my baby's mouth, he started to choke.",
    hazard: 'choking_ingestion',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'kitchen_appliances',
    description:
      'The food processor lid has a sharp edge that cut deep into my finger; three stitches at urgent care.',
    hazard: 'laceration',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'furniture',
    description: 'Glass shelf broke while I was putting plates on it and the pieces cut my wrist badly.',
    hazard: 'laceration',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'furniture',
    description:
      'The bunk bed ladder came loose and my son fell from the top bunk, he broke his arm and was operated on.',
    hazard: 'fall_tip_over',
    severity: 'hospitalisation',
  },
  {
    type: pd,
    category: 'furniture',
    description:
      'The wall shelf bracket failed and the whole shelf fell, breaking everything on the sideboard below.',
    hazard: 'fall_tip_over',
    severity: 'property_damage',
  },
  {
    type: pi,
    category: 'cleaning_products',
    description:
      'Mixed nothing, just sprayed the bathroom cleaner and the fumes made me cough for days; my doctor said it irritated my lungs.',
    hazard: 'chemical_toxic',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'toys',
    description: "The slime kit activator burned my daughter's hands, the box says it is safe for children.",
    hazard: 'chemical_toxic',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'cosmetics',
    description:
      'Eyelash glue caused my eyelids to swell and itch terribly, an allergic reaction the pharmacist said.',
    hazard: 'allergic_reaction',
    severity: 'medical_treatment',
  },
  {
    type: pi,
    category: 'baby_products',
    description: 'Baby wipes advertised as fragrance free gave my son an angry rash everywhere they touched.',
    hazard: 'allergic_reaction',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'baby_products',
    description:
      "The baby monitor cable was within reach and got wrapped around my daughter's neck in her cot.",
    hazard: 'strangulation_entrapment',
    severity: 'injury',
  },
  {
    type: pi,
    category: 'furniture',
    description:
      "My toddler's head got stuck between the railings of the toddler bed and he panicked until we sawed one out.",
    hazard: 'strangulation_entrapment',
    severity: 'injury',
  },
  {
    type: pd,
    category: 'electronics',
    description: 'The monitor has dead pixels and a crack in the corner of the screen on arrival.',
    hazard: 'other',
    severity: 'property_damage',
  },
];
