import { readNarrative } from './language.ts';

/**
 * A multinomial naive Bayes model over a narrative's lemmas and two-word phrases, trained on
 * hazards staff coded. Hand-written (~80 lines) rather than a package: the only maintained
 * text-Bayes packages on npm (wink-naive-bayes-text-classifier, natural) are not installed here,
 * and this one must explain itself — the phrases that weighed most are returned with each guess.
 */
export interface HazardModel {
  classes: string[];
  /** Training examples per class, for the prior. */
  classCounts: Record<string, number>;
  /** Feature counts per class, and each class's total feature count. */
  featureCounts: Record<string, Record<string, number>>;
  totals: Record<string, number>;
  vocabulary: number;
}

export interface LabelledNarrative {
  text: string;
  hazard: string;
}

/**
 * Words that carry no hazard ("a", "my", "was", "and"): left out so that the phrases a guess
 * returns as its reasons are ones a reader recognises. Prepositions and particles stay: "tip
 * over", "around neck", "came off" are the mechanism.
 */
const FUNCTION_WORDS = new Set(['DET', 'PRON', 'AUX', 'CCONJ', 'SCONJ', 'PUNCT', 'SYM', 'X', 'SPACE']);

/** Lemmas of content words, and each adjacent pair of them as a phrase ("button battery", "tip over"). */
export function narrativeFeatures(text: string): string[] {
  const features: string[] = [];
  for (const sentence of readNarrative(text).sentences) {
    const lemmas = sentence
      .filter((w) => !w.punctuation && !FUNCTION_WORDS.has(w.pos) && /[a-z]/.test(w.lemma))
      .map((w) => w.lemma);
    features.push(...lemmas);
    for (let i = 1; i < lemmas.length; i++) features.push(`${lemmas[i - 1]} ${lemmas[i]}`);
  }
  return features;
}

export function trainHazardModel(examples: LabelledNarrative[]): HazardModel {
  const model: HazardModel = { classes: [], classCounts: {}, featureCounts: {}, totals: {}, vocabulary: 0 };
  const vocabulary = new Set<string>();
  for (const { text, hazard } of examples) {
    model.classCounts[hazard] = (model.classCounts[hazard] ?? 0) + 1;
    model.featureCounts[hazard] ??= {};
    const counts = model.featureCounts[hazard];
    for (const feature of narrativeFeatures(text)) {
      counts[feature] = (counts[feature] ?? 0) + 1;
      model.totals[hazard] = (model.totals[hazard] ?? 0) + 1;
      vocabulary.add(feature);
    }
  }
  model.classes = Object.keys(model.classCounts).sort();
  model.vocabulary = vocabulary.size;
  return model;
}

export interface HazardGuess {
  hazard: string;
  /** Posterior probability of the guess among the model's classes. */
  probability: number;
  /** The features that most favoured the guess over the runner-up, strongest first. */
  because: string[];
}

/** The most probable hazard, with Laplace smoothing; unknown features weigh nothing. */
export function predictHazard(model: HazardModel, text: string): HazardGuess | null {
  if (model.classes.length === 0) return null;
  const examples = Object.values(model.classCounts).reduce((a, b) => a + b, 0);
  const features = narrativeFeatures(text).filter((f) =>
    model.classes.some((c) => model.featureCounts[c]?.[f]),
  );
  const logLikelihood = (c: string, f: string) =>
    Math.log(((model.featureCounts[c]?.[f] ?? 0) + 1) / ((model.totals[c] ?? 0) + model.vocabulary));
  const scores = model.classes.map((c) => ({
    c,
    score:
      Math.log((model.classCounts[c] ?? 0) / examples) +
      features.reduce((s, f) => s + logLikelihood(c, f), 0),
  }));
  scores.sort((a, b) => b.score - a.score);
  const best = scores[0] as { c: string; score: number };
  const total = scores.reduce((s, x) => s + Math.exp(x.score - best.score), 0);
  const runnerUp = scores[1]?.c;
  const because = runnerUp
    ? [...new Set(features)]
        .map((f) => ({ f, weight: logLikelihood(best.c, f) - logLikelihood(runnerUp, f) }))
        .filter((x) => x.weight > 0)
        .sort((a, b) => b.weight - a.weight || a.f.localeCompare(b.f))
        .slice(0, 5)
        .map((x) => x.f)
    : [];
  return { hazard: best.c, probability: 1 / total, because };
}

export interface ClassScore {
  hazard: string;
  support: number;
  precision: number | null;
  recall: number | null;
}

/** Per-class precision and recall of the model on held-back examples. */
export function evaluateHazardModel(model: HazardModel, heldBack: LabelledNarrative[]): ClassScore[] {
  const guesses = heldBack.map((e) => ({ truth: e.hazard, guess: predictHazard(model, e.text)?.hazard }));
  const classes = [...new Set([...model.classes, ...heldBack.map((e) => e.hazard)])].sort();
  const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);
  return classes.map((hazard) => {
    const tp = guesses.filter((g) => g.truth === hazard && g.guess === hazard).length;
    const predicted = guesses.filter((g) => g.guess === hazard).length;
    const support = guesses.filter((g) => g.truth === hazard).length;
    return { hazard, support, precision: ratio(tp, predicted), recall: ratio(tp, support) };
  });
}
