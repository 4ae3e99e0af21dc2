import { describe, expect, it } from 'vitest';
import { evaluateClassifier } from './evaluate-classifier.ts';
import { classifyClaim } from './hazards.ts';
import { HELD_OUT_CLAIMS, LABELLED_CLAIMS } from './labelled-claims.ts';
import { HAZARDS } from './lexicon.ts';

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
      terms: { hazard: ['fire*', 'burn*', 'caught fire'], severity: ['admitted'] },
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
      description: 'The hoverboard wobbled and threw me off.',
      damageKinds: [],
      category: 'sports',
    };
    expect(classifyClaim(claim).hazard).toBe('other');
    expect(classifyClaim(claim, { fall_tip_over: ['threw me off'] }).hazard).toBe('fall_tip_over');
  });

  it('is accurate on the labelled narratives, for every hazard', () => {
    const report = evaluateClassifier(LABELLED_CLAIMS);
    expect(report.claims).toBe(60);
    expect(report.hazardAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.severityAccuracy).toBeGreaterThanOrEqual(0.9);
    for (const hazard of HAZARDS) {
      expect(report.perHazard[hazard].claims, hazard).toBeGreaterThanOrEqual(4);
      expect(report.perHazard[hazard].accuracy, hazard).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('holds up on narratives it was not tuned on', () => {
    const report = evaluateClassifier(HELD_OUT_CLAIMS);
    expect(report.hazardAccuracy).toBeGreaterThanOrEqual(0.75);
    expect(report.severityAccuracy).toBeGreaterThanOrEqual(0.85);
  });
});
