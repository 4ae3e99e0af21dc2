import { createRequire } from 'node:module';
import type { ItemSentence, ItemToken, WinkMethods } from 'wink-nlp';
import { separateShorthand } from './clinical-shorthand.ts';
import { correctSpelling } from './spelling.ts';

/** One word of a narrative as the language model reads it. */
export interface Word {
  /** Lower-case surface form, after spelling correction. */
  normal: string;
  lemma: string;
  pos: string;
  punctuation: boolean;
}

export interface ReadNarrative {
  sentences: Word[][];
  /** Words the spelling step changed, `swalled → swallowed`, kept for the explanation. */
  corrections: string[];
}

let nlp: WinkMethods | undefined;

/**
 * The English model (tokeniser, lemmatiser, part-of-speech tagger, negation scope) is loaded
 * once per process, on first use: it takes ~200 ms and ~20 MB, which a process that never
 * classifies a claim (a CLI command, a server at rest) should not pay. Importing the packages
 * at the top would load the model with this module, so they are required here, synchronously,
 * as readNarrative is.
 */
function language(): WinkMethods {
  if (!nlp) {
    const require = createRequire(import.meta.url);
    const winkNLP: typeof import('wink-nlp').default = require('wink-nlp');
    nlp = winkNLP(require('wink-eng-lite-web-model'));
  }
  return nlp;
}

/**
 * The last narratives read, by their text. A filing reads its narrative twice (the hazard
 * classifier, then screening's paraphrase check), and the tagger is the costliest step of both;
 * a few concurrent filings fit in the window. Callers only read the result, never change it.
 */
const recentlyRead = new Map<string, ReadNarrative>();
const RECENTLY_READ_MAX = 32;

/** Splits a narrative into sentences of lemmatised, tagged words. */
export function readNarrative(text: string): ReadNarrative {
  const known = recentlyRead.get(text);
  if (known) return known;
  const read = readAfresh(text);
  // Oldest first in a Map's order: dropping the first key keeps the most recent texts.
  if (recentlyRead.size >= RECENTLY_READ_MAX) recentlyRead.delete(recentlyRead.keys().next().value as string);
  recentlyRead.set(text, read);
  return read;
}

function readAfresh(text: string): ReadNarrative {
  const { text: corrected, corrections } = correctSpelling(separateShorthand(text));
  const nlp = language();
  const its = nlp.its;
  // The package's typings give `its.lemma` a signature `out()` does not accept; it works the same.
  const lemma = its.lemma as unknown as typeof its.normal;
  const doc = nlp.readDoc(corrected);
  const sentences: Word[][] = [];
  doc.sentences().each((sentence: ItemSentence) => {
    const words: Word[] = [];
    sentence.tokens().each((token: ItemToken) => {
      const type = token.out(its.type);
      if (type === 'tabCRLF' || type === 'emoji' || type === 'emoticon') return;
      const raw = token.out(its.normal).toLowerCase();
      // Contractions come apart ("could" + "n't"); the negation reads as "not" either way.
      const normal = raw === "n't" ? 'not' : raw.replace(/[’']/g, '');
      words.push({
        normal,
        lemma: token.out(lemma).toLowerCase(),
        pos: token.out(its.pos),
        punctuation: type === 'punctuation' || type === 'symbol',
      });
    });
    if (words.length > 0) sentences.push(words);
  });
  return { sentences, corrections };
}
