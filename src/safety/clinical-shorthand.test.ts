import { describe, expect, it } from 'vitest';
import { separateShorthand, statedAge } from './clinical-shorthand.ts';
import { classifyClaim } from './hazards.ts';

const read = (description: string) =>
  classifyClaim({ type: 'personal_injury', description, damageKinds: [], category: '' });

function expectSeverity(severity: string, texts: string[]) {
  for (const text of texts) expect(read(text).severityLabel, text).toBe(severity);
}

describe('emergency-department shorthand', () => {
  it('reads the age coders write, and no age where none is given', () => {
    expect(statedAge('73YOM FELL OUT OF BED')).toBe(73);
    expect(statedAge('J 81 YOF FELL DOWN STEPS')).toBe(81);
    expect(statedAge('100 YO F PT IN A CARE FACILITY')).toBe(100);
    expect(statedAge('2YF BITTEN BY DOG')).toBe(2);
    expect(statedAge('20 YR OLD MALE JUMPED')).toBe(20);
    expect(statedAge('17MOM PULLED A CUP OF HOT WATER')).toBeCloseTo(17 / 12);
    expect(statedAge('My 80-year-old mother fell off the step stool.')).toBe(80);
    expect(statedAge('My elderly father tripped on the cord.')).toBe(65);
    expect(statedAge('I bought it 2 years ago and it fell apart.')).toBeNull();
  });

  it('separates a diagnosis run into its neighbours', () => {
    expect(separateShorthand('TRIPPED ON A RUGDXFX HIP')).toBe('TRIPPED ON A RUG DX FX HIP');
    expect(separateShorthand('the dx was a sprain')).toBe('the dx was a sprain');
  });

  it('reads a stated admission, surgery or transfer in shorthand as a hospital stay', () => {
    expectSeverity('hospitalisation', [
      '45YOM FELL OFF LADDER DX PELVIS FX ADMIT',
      '30YOF MVC DX SPLENIC LAC ADM TO SICU',
      '70YOM FELL ON ICE DX ANKLE FX TO OR FOR ORIF',
      '8YOM FELL FROM TREE HEAD INJURY PT TRANSFERRED',
      'He was transferred to the childrens hospital.',
      '3YOF SCALD BURN XFER TO PEDS BURN CENTER',
      '82YOF FALL NO INJURY ADMITTED FOR PNEUMONIA',
    ]);
  });

  it('reads a stated death in shorthand, and an expired product as no death', () => {
    expectSeverity('death', ['90YOM FOUND DOWN AT HOME DOA', '88YOF FELL DOWN STAIRS PT EXPIRED IN ED']);
    expect(read('The car seat had expired and the buckle broke, my son cut his lip.').severityLabel).not.toBe(
      'death',
    );
    expect(read('The medicine expired last year.').severityLabel).not.toBe('death');
    expect(read("My son's car seat had expired and the strap cut him.").severityLabel).not.toBe('death');
    expect(read('She said the warranty expired.').severityLabel).not.toBe('death');
    // A call passed on is no transfer of a patient.
    expect(read('I called about the burn and she transferred me to another agent.').severityLabel).not.toBe(
      'hospitalisation',
    );
  });

  it('keeps negation and the other sense of "admit" in clinical text', () => {
    // The denial covers the finding it names, unless a word carries it on.
    expect(read('She had no injury requiring admission.').severityLabel).not.toBe('hospitalisation');
    expect(read('He was not admitted.').severityLabel).not.toBe('hospitalisation');
    expect(read('32YOM FELL FROM COUCH ADMIT ETOH USE DX TONGUE LAC').severityLabel).not.toBe(
      'hospitalisation',
    );
    // "NO LOC" does not reach past "DX" to deny the fracture.
    expect(read('81YOF FELL DOWN STEPS NO LOC DX PELVIS FX').severeCandidate).toBe(true);
  });

  it('makes an injury that usually means a stay a severe-candidate for a person, never a severe rating', () => {
    for (const text of [
      '78YOF FELL BACKWARDS HIT HEAD ON FLOOR DX SDH',
      '76YOF FELL DOWN 2 STAIRS DX SUBARACHNOID HEMORRHAGE',
      '19YOM FELL OFF SCOOTER DX PNEUMOTHORAX',
      '25YOM FOOTBALL TACKLE DX SPLEEN LACERATION',
      '2YOM PULLED POT OF BOILING WATER DX PARTIAL THICKNESS BURN OF HAND',
      '80YOF TRIPPED ON RUG DX HIP FX',
    ]) {
      const verdict = read(text);
      expect(verdict.severeCandidate, text).toBe(true);
      expect(verdict.severityLabel, text).not.toMatch(/hospitalisation|death/);
      expect(verdict.review, text).toContain('likely_severe_injury');
    }
    // A burn of the belly is not a burn-centre case; a finger fracture is not a stay.
    expect(read('21YOM BOILING WATER DX PARTIAL THICKNESS BURN TO ABD').severeCandidate).toBe(false);
    expect(read('30YOM TABLE SAW DX OPEN FX FINGER').severeCandidate).toBe(false);
  });

  it('counts an arm or lower-leg fracture as a likely stay only at 65 and over, and says so', () => {
    const old = read('74YOF TRIPPED ON CURB DX FRACTURE HUMERUS');
    expect(old.severeCandidate).toBe(true);
    expect(old.terms.likelySevere).toEqual(['fracture humerus (age 74)']);
    expect(read('24YOM FELL SKATEBOARDING DX FRACTURE HUMERUS').severeCandidate).toBe(false);
  });

  it('reads punctures and torn skin as wounds, and swallowed medicine as poisoning', () => {
    expect(read('27YOM STEPPED ON A RUSTY NAIL DX PUNCTURE WOUND TO FOOT').hazard).toBe('laceration');
    expect(read('He drilled through his finger with the new drill.').hazard).toBe('laceration');
    expect(read('70YOF SKIN TEAR LWR LEG ON CEMENT STEPS').hazard).toBe('laceration');
    expect(read('2YOM SWALLOWED GRANDMAS PILLS DX ACCIDENTAL INGESTION').hazard).toBe('chemical_toxic');
    expect(read('My toddler swallowed a magnet from the set.').hazard).toBe('choking_ingestion');
    expect(read('She swallowed the vitamin pill whole and choked on it.').hazard).toBe('choking_ingestion');
    // The medicine cabinet and the tablet computer are products, not poisons.
    expect(read('The medicine cabinet fell off the wall onto my foot.').hazard).toBe('fall_tip_over');
    expect(read('My tablet overheated and burned my leg.').hazard).toBe('fire_burn');
  });

  // NEISS narratives (US CPSC, public domain), cited by case number.
  it('reads real NEISS narratives as their coders meant them', () => {
    // 210127818, admitted: a hip fracture at 83 with "DX" run into the words around it.
    const hip = read('83YOF TRIPPED AND FELL ON A NS RUGDXFX HIP');
    expect(hip).toMatchObject({ severeCandidate: true, severityLabel: 'medical_treatment' });
    // 230367161, admitted: "NO INJURY" denies the injury, not the admission.
    expect(
      read(
        '60YOM HAD A FALL TO THE FLOOR AT HOME WAS FOUND ON THE FLOOR OF THE BATHROOM BY HIS WIFE NO INJURY FROM THE FALL ADMITTED FOR POSSIBELE STROKE DX FALL NO INJURY',
      ).severityLabel,
    ).toBe('hospitalisation');
    // 210120928, admitted: a heart attack found after the fall.
    expect(
      read(
        '78YOF FELL OUT OF BED ONTO FLOOR IN NURSING HOME NO INJURYDX MYOCARDIAL INFARCTION NONST ELEVATION',
      ).severeCandidate,
    ).toBe(true);
    // 170806637, treated and released: an open fracture of a thumb is no stay.
    expect(
      read('60YOM LAYING WOOD FLOOR USING TABLE SAW  CUT LT THUMB DX OPEN FX THUMB').severeCandidate,
    ).toBe(false);
  });
});
