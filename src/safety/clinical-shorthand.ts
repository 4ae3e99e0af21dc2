/**
 * What emergency-department coders' shorthand needs before it is read as language: words the
 * coder ran together ("DXFX HIP", "DXPELVIS FX") apart, and the person's age, which decides
 * whether a fracture usually means a hospital stay ("74YOM", "17MOM" = 17 months, "my
 * 80-year-old mother"). The abbreviations themselves (ADM, SDH, ORIF, DOA, …) are cue words in
 * lexicon.ts, read like any other word.
 */

/**
 * "DX" (diagnosis) glued to the words around it in capitals, "RUGDXFX HIP", "ARMDX FOREARM FX":
 * no English word holds "DX", so it is split out wherever it touches a capital letter.
 */
const GLUED_DIAGNOSIS = /(?<=[A-Z])DX|DX(?=[A-Z])/g;

export function separateShorthand(text: string): string {
  return text.replace(GLUED_DIAGNOSIS, ' DX ');
}

/** "73YOM", "81 YOF", "100 YO F", "2YF", "76 YM", "20 YR OLD", "12-year-old", "17MOM" (months). */
const AGE =
  /\b(\d{1,3})\s*-?\s*(yo|y\/o|yo[wbhna]?[mf]|y[mf]|yrs?[- ]old|years?[- ]old|mo[mf]|mos?[- ]old|months?[- ]old)\b/i;
const AGED = /\baged\s+(\d{1,3})\b/i;
const ELDERLY = /\belderly\b/i;

/** The age in years the narrative gives for the person hurt, or null when it gives none. */
export function statedAge(text: string): number | null {
  const match = AGE.exec(text);
  if (match) {
    const n = Number(match[1]);
    return /^mo/i.test(match[2] ?? '') ? n / 12 : n;
  }
  const aged = AGED.exec(text);
  if (aged) return Number(aged[1]);
  // "my elderly father": no number, but old enough for the elderly cues.
  return ELDERLY.test(text) ? 65 : null;
}
