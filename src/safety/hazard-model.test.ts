import { describe, expect, it } from 'vitest';
import { evaluateHazardModel, predictHazard, trainHazardModel } from './hazard-model.ts';

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
