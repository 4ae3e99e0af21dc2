import { describe, expect, it } from 'vitest';
import { evaluateHazardModel, predictHazard, trainHazardModel } from './hazard-model.ts';
import { classifyClaim } from './hazards.ts';

const labelled = [
  { text: 'The heater overheated and burned my hand.', hazard: 'fire_burn' },
  { text: 'The charger caught fire and burned the carpet.', hazard: 'fire_burn' },
  { text: 'Smoke and flames came out of the battery pack.', hazard: 'fire_burn' },
  { text: 'My son swallowed a button battery from the remote.', hazard: 'choking_ingestion' },
  { text: 'She choked on a small piece that broke off the toy.', hazard: 'choking_ingestion' },
  { text: 'The baby swallowed a magnet from the set.', hazard: 'choking_ingestion' },
  { text: 'The dresser tipped over onto my daughter.', hazard: 'fall_tip_over' },
  { text: 'The high chair tipped over and he fell.', hazard: 'fall_tip_over' },
  { text: 'The shelf tipped over when she climbed it.', hazard: 'fall_tip_over' },
];

describe('the fitted hazard model', () => {
  it('learns coded hazards and says which phrases decided', () => {
    const model = trainHazardModel(labelled);
    const guess = predictHazard(model, 'The bookcase tipped over on my toddler.');
    expect(guess?.hazard).toBe('fall_tip_over');
    expect(guess?.because).toContain('tip over');
    expect(guess?.probability).toBeGreaterThan(0.5);
    expect(predictHazard(trainHazardModel([]), 'anything')).toBeNull();
  });

  it('reports per-class precision and recall on held-back examples', () => {
    const model = trainHazardModel(labelled);
    const scores = evaluateHazardModel(model, [
      { text: 'He swallowed a magnet.', hazard: 'choking_ingestion' },
      { text: 'The lamp caught fire.', hazard: 'fire_burn' },
      { text: 'The TV stand tipped over.', hazard: 'fall_tip_over' },
      { text: 'The toaster caught fire and burned me.', hazard: 'choking_ingestion' },
    ]);
    expect(scores.find((s) => s.hazard === 'fall_tip_over')).toEqual({
      hazard: 'fall_tip_over',
      support: 1,
      precision: 1,
      recall: 1,
    });
    expect(scores.find((s) => s.hazard === 'choking_ingestion')).toMatchObject({ support: 2, recall: 0.5 });
    expect(scores.find((s) => s.hazard === 'fire_burn')).toMatchObject({ precision: 0.5, recall: 1 });
  });
});

/** Chargers that "gave a jolt": staff coded them electric shock. */
const coded = [
  { text: 'The charger gave me a jolt when I plugged it in.', hazard: 'electric_shock' },
  { text: 'I got a jolt from the phone charger cable and my arm tingled.', hazard: 'electric_shock' },
  { text: 'The adapter sparked and shocked my fingers when I plugged it in.', hazard: 'electric_shock' },
  { text: 'A jolt went up my arm from the charger when I touched the plug.', hazard: 'electric_shock' },
  { text: 'The heater caught fire and burned the curtains.', hazard: 'fire_burn' },
  { text: 'Flames came out of the toaster and burned my hand.', hazard: 'fire_burn' },
  { text: 'The space heater melted and scorched the carpet.', hazard: 'fire_burn' },
  { text: 'The blade slipped out of the guard and cut my thumb.', hazard: 'laceration' },
  { text: 'The glass lid shattered and cut my forearm.', hazard: 'laceration' },
];
const claim = (description: string) => ({
  type: 'personal_injury' as const,
  description,
  damageKinds: [],
  category: 'electronics',
});

describe('the fitted model inside the classifier', () => {
  const fitted = { version: 3, model: trainHazardModel(coded) };

  it('settles a verdict the rules were unsure of, naming the phrases on both sides', () => {
    const text = 'The charger sparked when I plugged it in and gave me a jolt, then it smoked.';
    const rulesAlone = classifyClaim(claim(text));
    expect(rulesAlone).toMatchObject({ hazard: 'fire_burn', review: ['uncertain_hazard'], model: null });
    const withModel = classifyClaim(claim(text), {}, fitted);
    expect(withModel.hazard).toBe('electric_shock');
    expect(withModel.review).toEqual([]);
    expect(withModel.confidence).toBeGreaterThan(rulesAlone.confidence);
    expect(withModel.model).toMatchObject({ version: 3, hazard: 'electric_shock', applied: true });
    expect(withModel.terms.hazard).toEqual(['jolt']);
    expect(withModel.terms.model).toContain('jolt');
    // The rules' own hazard is not lost: it stays as a secondary one.
    expect(withModel.secondary).toContain('fire_burn');
  });

  it('leaves a confident verdict alone, and never picks a hazard the text has no phrase for', () => {
    const sure = classifyClaim(claim('The lamp cord sparked and there was smoke and flames.'), {}, fitted);
    expect(sure).toMatchObject({ hazard: 'fire_burn', model: null });
    // "The toy broke and a piece was sharp": unsure laceration; a model trained only on shocks
    // and fires has no phrase in the text to stand on.
    const shocks = {
      version: 4,
      model: trainHazardModel(coded.filter((c) => c.hazard !== 'laceration')),
    };
    const unsure = classifyClaim(claim('The toy broke and a piece was sharp.'), {}, shocks);
    expect(unsure.hazard).toBe('laceration');
    expect(unsure.review).toContain('uncertain_hazard');
    expect(unsure.model?.applied).toBe(false);
  });
});
