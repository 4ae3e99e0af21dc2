import { describe, expect, it } from 'vitest';
import { FIXTURE, loadIncidentStories } from '../simulation/incidents.ts';
import { paraphrasedNarrative } from '../simulation/narratives.ts';
import { Random } from '../simulation/random.ts';
import { signature, similarity } from './minhash.ts';
import {
  compareSignatures,
  isParaphrase,
  lemmaProfile,
  paraphraseBands,
  paraphraseSignature,
  paraphraseSimilarity,
  sharedLemmas,
} from './paraphrase.ts';

/** Real CPSC narratives (src/simulation/fixtures/README.md cites each row). */
const stories = loadIncidentStories(FIXTURE);
const byCase = (caseNumber: string) => {
  const story = stories.find((s) => s.caseNumber === caseNumber);
  if (!story) throw new Error(`fixture row ${caseNumber} missing`);
  return story.narrative;
};
const exact = (a: string, b: string) => {
  const pa = lemmaProfile(a);
  const pb = lemmaProfile(b);
  return { similarity: paraphraseSimilarity(pa, pb), sharedLemmas: sharedLemmas(pa, pb) };
};

describe('a similarity that survives paraphrase', () => {
  const original =
    'While I was slicing a bagel with the new kitchen knife, the handle came loose, the blade slipped and cut deep into my left index finger. The emergency room closed the laceration with four stitches.';
  const retold =
    "The emergency room needed four stitches to close a gash on my left index finger: the kitchen knife's handle came loose and its blade slid while I was cutting a bagel.";

  it('catches a story retold with its clauses reordered and words swapped, which word shingles miss', () => {
    expect(similarity(signature(original), signature(retold))).toBeLessThan(0.2);
    const match = exact(original, retold);
    expect(match.sharedLemmas).toBeGreaterThanOrEqual(10);
    expect(isParaphrase(match)).toBe(true);
    // The stored signatures estimate the same and share a band, so the index finds the pair.
    const [a, b] = [paraphraseSignature(original), paraphraseSignature(retold)];
    expect(isParaphrase(compareSignatures(a, b))).toBe(true);
    const bandsA = paraphraseBands(a);
    expect(paraphraseBands(b).some((hash, band) => bandsA[band] === hash)).toBe(true);
  });

  it('catches machine paraphrases of every real narrative in the fixture, where shingles catch few', () => {
    const random = new Random(18);
    let caught = 0;
    let shingled = 0;
    for (const story of stories) {
      const told = paraphrasedNarrative(story.narrative, random);
      expect(told).not.toBe(story.narrative);
      if (isParaphrase(exact(story.narrative, told))) caught++;
      if (similarity(signature(story.narrative), signature(told)) >= 0.5) shingled++;
    }
    expect(stories).toHaveLength(12);
    expect(caught).toBeGreaterThanOrEqual(11);
    expect(shingled).toBeLessThanOrEqual(2);
  });

  it('does not match different people’s real reports of the same accident with the same product', () => {
    // Three people cut a finger with a knife while cutting a bagel (NEISS 2025).
    const bagels = ['250146100', '250148309', '250267515'].map(byCase);
    for (let i = 0; i < bagels.length; i++)
      for (let j = i + 1; j < bagels.length; j++) {
        const match = exact(bagels[i] as string, bagels[j] as string);
        expect(match.similarity, `${i}/${j}`).toBeGreaterThan(0.2); // alike, and still not one story
        expect(isParaphrase(match), `${i}/${j}`).toBe(false);
      }
    // Knives, beds, bicycles: same product, other accidents.
    for (const [a, b] of [
      ['170605552', '210854325'],
      ['150331936', '180538952'],
      ['180748282', '191111607'],
    ] as const)
      expect(isParaphrase(exact(byCase(a), byCase(b))), `${a}/${b}`).toBe(false);
  });

  it('has a known limit: two short, formulaic reports of one accident type read as one story', () => {
    // Two children struck their heads on a coffee table's edge (NEISS 2018, 2020): nine content
    // words in common out of a dozen. Content alone cannot tell them apart; the signal only sends
    // such a claim to a person (docs/screening.md, "Known limits").
    expect(isParaphrase(exact(byCase('181208221'), byCase('201230666')))).toBe(true);
  });

  it('ignores word order, inflection and function words, and gives an empty narrative nothing to match', () => {
    expect(paraphraseSimilarity('The ladder collapsed and I fell.', 'I fall as ladders collapse.')).toBe(1);
    expect(compareSignatures(paraphraseSignature('...'), paraphraseSignature('!!!'))).toEqual({
      similarity: 0,
      sharedLemmas: 0,
    });
    expect(paraphraseBands(paraphraseSignature('the of and'))).toEqual([]);
  });
});
