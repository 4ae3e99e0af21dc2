import { describe, expect, it } from 'vitest';
import { evaluate, fitLogistic, isHeldBack, type LabelledExample } from './fit.ts';

describe('fitLogistic', () => {
  it('learns a strong positive weight for a signal that marks fraud and a negative one for a safety cluster', () => {
    const examples: LabelledExample[] = [];
    for (let i = 0; i < 200; i++) {
      examples.push({
        claimId: `f${i}`,
        signals: ['linked_claimants', ...(i % 3 ? [] : ['new_account'])],
        fraudulent: true,
      });
      examples.push({ claimId: `h${i}`, signals: i % 4 ? [] : ['new_account'], fraudulent: false });
      examples.push({ claimId: `s${i}`, signals: ['product_safety_cluster'], fraudulent: false });
    }
    const model = fitLogistic(examples);
    expect(model.weights.linked_claimants).toBeGreaterThan(2);
    expect(model.weights.product_safety_cluster).toBeLessThan(0);
    expect(evaluate(model, examples, 0.5)).toMatchObject({ precision: 1, recall: 1, falsePositiveRate: 0 });
  });

  it('holds back a stable fifth of the claims', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `clm_${i}`);
    const held = ids.filter((id) => isHeldBack(id)).length;
    expect(held / ids.length).toBeGreaterThan(0.15);
    expect(held / ids.length).toBeLessThan(0.25);
    expect(isHeldBack('clm_42')).toBe(isHeldBack('clm_42'));
  });
});
