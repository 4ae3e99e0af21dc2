import type { ReadNarrative, Word } from './language.ts';
import {
  CLAUSE_BREAKS,
  CLOSED_NEGATIONS,
  type Cue,
  HYPOTHETICAL_MARKERS,
  IDIOMS,
  NEGATION_CARRIERS,
  NEGATORS,
} from './lexicon.ts';

/**
 * Where a cue phrase occurs in a narrative, and whether the narrative says it happened
 * (`asserted`), says it did not (`negated`: "no one was cut", "did not burn"), or only that it
 * could have (`hypothetical`: "could have died", "nearly choked", "if it had caught fire").
 */
export type Assertion = 'asserted' | 'negated' | 'hypothetical';

export interface Mention {
  cue: Cue;
  /** The narrative's own words, as read (after spelling correction). */
  phrase: string;
  assertion: Assertion;
}

type Alternative = { kind: 'prefix' | 'suffix' | 'word' | 'surface'; text: string };
type Step = { gap: true } | { gap: false; alternatives: Alternative[] };

const MAX_GAP = 4;
const LOOK_BACK = 8;
const MODALS = new Set(['could', 'would', 'might', 'may', 'should']);

/**
 * A phrase's steps, and the words one of which a sentence must hold for the phrase to match
 * there: its first step's alternatives when each is a whole word (null when any is a prefix or
 * a suffix, or the phrase opens with a gap).
 */
type Phrase = { steps: Step[]; anchor: string[] | null };

const compiled = new Map<string, Phrase[]>();

/** A cue's phrases as steps: `…` a gap, otherwise a word with its alternatives. */
function compile(pattern: string): Phrase[] {
  let phrases = compiled.get(pattern);
  if (!phrases) {
    phrases = pattern.split(';').map((phrase) => {
      const steps = phrase
        .trim()
        .split(/\s+/)
        .map((step): Step => {
          if (step === '…') return { gap: true };
          return {
            gap: false,
            alternatives: step.split('|').map((alt): Alternative => {
              if (alt.startsWith('=')) return { kind: 'surface', text: alt.slice(1) };
              if (alt.startsWith('*')) return { kind: 'suffix', text: alt.slice(1) };
              if (alt.endsWith('*')) return { kind: 'prefix', text: alt.slice(0, -1) };
              return { kind: 'word', text: alt };
            }),
          };
        });
      const first = steps[0];
      const anchor =
        first && !first.gap && first.alternatives.every((a) => a.kind === 'word' || a.kind === 'surface')
          ? first.alternatives.map((a) => a.text)
          : null;
      return { steps, anchor };
    });
    compiled.set(pattern, phrases);
  }
  return phrases;
}

/**
 * Every word of a sentence as written and as lemma. A phrase whose first word is in neither is
 * not tried at each of the sentence's positions: most of the hundreds of cue phrases are not.
 */
const vocabularies = new WeakMap<Word[], Set<string>>();

function vocabularyOf(words: Word[]): Set<string> {
  let vocabulary = vocabularies.get(words);
  if (!vocabulary) {
    vocabulary = new Set();
    for (const word of words) {
      vocabulary.add(word.normal);
      vocabulary.add(word.lemma);
    }
    vocabularies.set(words, vocabulary);
  }
  return vocabulary;
}

function alternativeMatches(word: Word, alt: Alternative): boolean {
  switch (alt.kind) {
    case 'surface':
      return word.normal === alt.text;
    case 'word':
      return word.normal === alt.text || word.lemma === alt.text;
    case 'prefix':
      return word.normal.startsWith(alt.text) || word.lemma.startsWith(alt.text);
    default:
      return word.normal.length > alt.text.length + 2 && word.normal.endsWith(alt.text);
  }
}

function wordMatches(word: Word, alternatives: Alternative[]): boolean {
  if (word.punctuation) return false;
  for (const alt of alternatives) if (alternativeMatches(word, alt)) return true;
  return false;
}

const breaksClause = (word: Word) => word.punctuation || CLAUSE_BREAKS.has(word.normal);

/**
 * The end (exclusive) of a match of `steps` from step `from` on, starting at word `at`, or -1.
 * Gaps stay in their clause. The steps are walked by index, not by slicing off the rest at
 * each step: this runs for every word, phrase and cue of every filing (0.26 ms of a filing's
 * Node CPU, docs/performance.md), and a new array per call was most of that.
 */
function matchFrom(words: Word[], steps: Step[], at: number, used: ReadonlySet<number>, from = 0): number {
  const step = steps[from];
  if (!step) return at;
  if (step.gap) {
    for (let skip = 0; skip <= MAX_GAP; skip++) {
      const end = matchFrom(words, steps, at + skip, used, from + 1);
      if (end >= 0) return end;
      const skipped = words[at + skip];
      if (!skipped || breaksClause(skipped)) return -1;
    }
    return -1;
  }
  const word = words[at];
  if (!word || used.has(at) || !wordMatches(word, step.alternatives)) return -1;
  return matchFrom(words, steps, at + 1, used, from + 1);
}

/** Every span [start, end) of a sentence where the pattern matches. */
function spans(words: Word[], pattern: string, used: ReadonlySet<number> = new Set()): [number, number][] {
  const found: [number, number][] = [];
  const vocabulary = vocabularyOf(words);
  for (const { steps, anchor } of compile(pattern)) {
    if (anchor && !anchor.some((text) => vocabulary.has(text))) continue;
    for (let start = 0; start < words.length; start++) {
      const end = matchFrom(words, steps, start, used);
      if (end > start) found.push([start, end]);
    }
  }
  return found;
}

/** "NO INJURY" ends at the finding it denies, unless the next word carries it on ("requiring"). */
function closesNegation(words: Word[], i: number): boolean {
  const word = words[i] as Word;
  if (!CLOSED_NEGATIONS.has(word.normal) || words[i - 1]?.normal !== 'no') return false;
  const next = words[i + 1];
  return next !== undefined && !NEGATION_CARRIERS.has(next.normal);
}

/**
 * Whether the clause before a mention denies it or only imagines it. The model's own negation
 * flag is not used: its scope runs on past "and" and "but" ("without warning the basket broke
 * and the stroller tipped over" would deny the tip-over), so the clause is scanned here.
 */
function assertionOf(words: Word[], start: number): Assertion {
  let hypothetical = false;
  for (let i = start - 1; i >= 0 && i >= start - LOOK_BACK; i--) {
    const word = words[i] as Word;
    if (breaksClause(word) || closesNegation(words, i)) break;
    if (NEGATORS.has(word.normal)) return 'negated';
    if (MODALS.has(word.normal)) {
      // "could not breathe" reports an inability that happened; "could have died" did not happen.
      const next = words[i + 1];
      if (word.pos === 'AUX' && next?.normal !== 'not') hypothetical = true;
    } else if (HYPOTHETICAL_MARKERS.has(word.normal)) hypothetical = true;
  }
  return hypothetical ? 'hypothetical' : 'asserted';
}

/** Word positions of each sentence taken by figures of speech ("scared to death"). */
export function idiomPositions(read: ReadNarrative): Set<number>[] {
  return read.sentences.map((words) => {
    const used = new Set<number>();
    for (const idiom of IDIOMS) {
      for (const [start, end] of spans(words, idiom)) for (let i = start; i < end; i++) used.add(i);
    }
    return used;
  });
}

/** Every mention of the cues in the narrative, idioms and `unless` phrases excluded. */
export function findMentions(read: ReadNarrative, cues: readonly Cue[], idioms: Set<number>[]): Mention[] {
  const mentions: Mention[] = [];
  read.sentences.forEach((words, s) => {
    const used = idioms[s] ?? new Set<number>();
    for (const cue of cues) {
      const excluded = (cue.unless ?? []).flatMap((pattern) => spans(words, pattern, used));
      for (const [start, end] of spans(words, cue.p, used)) {
        if (excluded.some(([a, b]) => a < end && start < b)) continue;
        mentions.push({
          cue,
          phrase: words
            .slice(start, end)
            .map((w) => w.normal)
            .join(' '),
          assertion: cue.fixed ? 'asserted' : assertionOf(words, start),
        });
      }
    }
  });
  return mentions;
}
