import { describe, expect, it } from 'vitest';
import { HELD_OUT_CLAIMS, LABELLED_CLAIMS } from '../../bench/data/labelled-claims.ts';
import { evaluateClassifier } from './evaluate-classifier.ts';
import { classifyClaim, REVIEW_CONFIDENCE } from './hazards.ts';

describe('hazard classification', () => {
  it('names the hazard, the severity and the words that decided them', () => {
    const verdict = classifyClaim({
      type: 'personal_injury',
      description: 'The heater caught fire and my son was admitted to hospital with burns.',
      damageKinds: ['medical_bills'],
      category: 'heating',
    });
    expect(verdict).toMatchObject({
      hazard: 'fire_burn',
      severity: 4,
      severityLabel: 'hospitalisation',
      counterfeit: false,
      terms: { hazard: ['fire', 'caught fire', 'burns'], severity: ['admitted'] },
    });
  });

  it('ranks personal injury above property damage, and lifts it by treatment and by medical bills', () => {
    const base = {
      description: 'The lamp fell on the floor.',
      category: 'lighting',
      damageKinds: [] as string[],
    };
    expect(classifyClaim({ ...base, type: 'property_damage' }).severityLabel).toBe('property_damage');
    expect(classifyClaim({ ...base, type: 'personal_injury' }).severityLabel).toBe('injury');
    expect(
      classifyClaim({ ...base, type: 'personal_injury', damageKinds: ['medical_bills'] }).severityLabel,
    ).toBe('medical_treatment');
    expect(
      classifyClaim({
        ...base,
        type: 'personal_injury',
        description: 'It fell and my father died of the injury.',
      }).severity,
    ).toBe(5);
  });

  it('does not read a dead outlet as a death, nor a fabric treatment as medical treatment', () => {
    const outlet = classifyClaim({
      type: 'property_damage',
      description: 'The plug arced and now the outlet is dead.',
      damageKinds: [],
      category: 'electronics',
    });
    expect(outlet.severityLabel).toBe('property_damage');
  });

  it('flags a suspected counterfeit by its words', () => {
    const verdict = classifyClaim({
      type: 'personal_injury',
      description: 'Clearly a knock-off: the logo is misspelled and there is no UL mark. It shocked me.',
      damageKinds: [],
      category: 'electronics',
    });
    expect(verdict).toMatchObject({ hazard: 'electric_shock', counterfeit: true });
    expect(verdict.terms.counterfeit).toEqual(['knock-off', 'misspelled', 'no ul mark']);
  });

  it('takes a marketplace’s own words from its policy', () => {
    const claim = {
      type: 'personal_injury' as const,
      description: 'The hoverboard bucked me into the hedge.',
      damageKinds: [],
      category: 'sports',
    };
    expect(classifyClaim(claim).hazard).toBe('other');
    expect(classifyClaim(claim, { fall_tip_over: ['bucked me'] }).hazard).toBe('fall_tip_over');
  });

  it('holds its accuracy on the project’s older labelled narratives', () => {
    const report = evaluateClassifier([...LABELLED_CLAIMS, ...HELD_OUT_CLAIMS]);
    expect(report.hazardAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(report.severityAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});

const injury = (description: string, category = 'toys') =>
  classifyClaim({ type: 'personal_injury', description, damageKinds: [], category });
const property = (description: string, category = 'electronics') =>
  classifyClaim({ type: 'property_damage', description, damageKinds: [], category });

function expectSeverity(severity: string, texts: string[]) {
  for (const text of texts) expect(injury(text).severityLabel, text).toBe(severity);
}

describe('reading consumers’ own words', () => {
  it('does not count a negated harm: "did not burn", "no one was hospitalised", "without stitches"', () => {
    expect(
      injury('The heater got hot but it did not burn anyone, no one was hospitalized.').severityLabel,
    ).toBe('injury');
    const verdict = injury('He was not admitted and went home without stitches.');
    expect(verdict.severityLabel).toBe('injury');
    expect(verdict.terms.unasserted).toContain('admitted (negated)');
  });

  it('rates a hypothetical death no higher than the harm that happened, and asks a person', () => {
    for (const text of [
      'The battery pack started smoking, it could have KILLED MY TODDLER.',
      'My daughter almost died when she choked on the little ball.',
      'I thought I was going to die when the charger shocked me.',
      'He could have been hospitalized.',
    ]) {
      const verdict = injury(text);
      expect(verdict.severityLabel, text).not.toBe('death');
      expect(verdict.review, text).toContain('unasserted_severe_mention');
    }
  });

  it('reads idioms as idioms: "scared to death", "the battery died", "shocked" as surprise', () => {
    expect(injury('My son was scared to death when the toy started talking.').severityLabel).toBe('injury');
    const battery = property(
      'The batteries had died after two days, the phone is dead and the screen has dead pixels.',
    );
    expect(battery.severityLabel).toBe('property_damage');
    expect(battery.review).not.toContain('unasserted_severe_mention');
    expect(injury('I was shocked to find the screen cracked.', 'electronics').hazard).toBe('other');
    // Someone's earlier death is not this incident's: "the voice of his dead father".
    expect(
      injury('He punched the wall after hearing the voice of his dead father and hurt his hand.')
        .severityLabel,
    ).not.toBe('death');
    expect(injury('Her father was found dead beside the heater.').severityLabel).toBe('death');
    expect(injury('The charger shocked me when I plugged it in.', 'electronics').hazard).toBe(
      'electric_shock',
    );
  });

  it('reads a stated death in many forms, and never the fire station as a fire', () => {
    expectSeverity('death', [
      'He passed away the next day.',
      'She was pronounced dead at the hospital.',
      'Our son did not survive.',
      'She was found unresponsive and declared deceased.',
      'Paramedics could not revive him.',
    ]);
    const axle = injury(
      'The stroller axle broke and the stroller tipped into traffic. The Fire Station crew worked on my son but he died.',
      'baby_products',
    );
    expect(axle).toMatchObject({ hazard: 'fall_tip_over', severityLabel: 'death' });
  });

  it('tolerates misspellings of the words that matter, and says what it corrected', () => {
    const verdict = injury('my son swalled a magnet and was chocking');
    expect(verdict.hazard).toBe('choking_ingestion');
    expect(verdict.terms.corrected).toEqual(['swalled → swallowed', 'chocking → choking']);
    expect(injury('He needed 4 stiches at urgent care', 'tools').terms.corrected).toEqual([
      'stiches → stitches',
    ]);
    // Real words one edit from a decisive word stay as written.
    expect(injury('Decreased appetite after the fall').terms.corrected).toEqual([]);
  });

  it('knows surgery and hospital vocabulary, and that a surgeon’s cut is not a laceration', () => {
    expectSeverity('hospitalisation', [
      'She had surgeries to remove them.',
      'Surgical repair of the tendon.',
      'He had a laparotomy.',
      'They did an endoscopy to get it out.',
      'It caused a bowel obstruction.',
      'She was intubated in the PICU.',
    ]);
    const surgery = injury(
      'After she swallowed the magnet the surgeons had to cut into her stomach to take it out.',
    );
    expect(surgery.hazard).toBe('choking_ingestion');
    expect(surgery.scores.laceration).toBe(0);
  });

  it('reads a strap around the neck as strangulation, not choking', () => {
    const verdict = injury('The bazooka strap got wrapped around his neck and he was choking and coughing.');
    expect(verdict.hazard).toBe('strangulation_entrapment');
    expect(verdict.secondary).toContain('choking_ingestion');
    expect(injury('His leg got stuck between the crib slats.', 'baby_products').hazard).toBe(
      'strangulation_entrapment',
    );
  });

  it('reads magnets, button and coin batteries, and water beads as ingestion; lead as toxic', () => {
    expect(injury('She swallowed a button battery from the remote.', 'electronics').hazard).toBe(
      'choking_ingestion',
    );
    expect(injury('The coin battery fell out of the book.', 'toys').hazard).toBe('choking_ingestion');
    expect(injury('He ate water beads.').hazard).toBe('choking_ingestion');
    expect(injury('Her blood lead level was high after chewing the blocks.').hazard).toBe('chemical_toxic');
    expect(injury('The paint tested positive for lead.').hazard).toBe('chemical_toxic');
    // "led" (the verb) is not the metal.
    expect(injury('The cracked rail led to a fall.', 'baby_products').hazard).toBe('fall_tip_over');
  });

  it('reads tip-overs in consumers’ words: flipped, rolled off, came off', () => {
    expect(injury('The stroller flipped backwards.', 'baby_products').hazard).toBe('fall_tip_over');
    expect(injury('The bouncer rolled off the counter.', 'baby_products').hazard).toBe('fall_tip_over');
    expect(injury('The handlebar came off and he went over the front.').hazard).toBe('fall_tip_over');
  });

  it('sends a likely hospital stay the narrative does not state to a person, without rating it severe', () => {
    const verdict = injury('80YOF TRIPPED OVER A BAG AND LANDED ONTO RIGHT HIP DX HIP FRACTURE', 'furniture');
    expect(verdict.severityLabel).toBe('medical_treatment');
    expect(verdict.review).toContain('likely_severe_injury');
  });

  it('gives a primary hazard with a confidence, and sends an uncertain one to a person', () => {
    const clear = injury('The heater caught fire and burned my hand.', 'heating');
    expect(clear.confidence).toBeGreaterThanOrEqual(0.9);
    expect(clear.review).toEqual([]);
    const unrelated = injury('The speaker stopped working after a week.', 'electronics');
    expect(unrelated).toMatchObject({ hazard: 'other', confidence: 1, review: [] });
    const unclear = injury('The toy broke and it hurt.');
    expect(unclear.hazard).toBe('other');
    expect(unclear.review).toContain('uncertain_hazard');
    const mixed = injury(
      'The strap was loose and the seat tipped, he bumped into the sharp edge.',
      'baby_products',
    );
    expect(mixed.confidence).toBeLessThan(REVIEW_CONFIDENCE);
    expect(mixed.review).toContain('uncertain_hazard');
  });
});
