import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { LabelledNarrative } from '../../src/safety/evaluate-classifier.ts';
import type { Hazard, Severity } from '../../src/safety/lexicon.ts';

/**
 * NEISS emergency-department records (US CPSC, public domain) read at run time from the shared
 * development data, ../shared/data/incidents relative to the repository root; they are not
 * copied into the repository. See that folder's README for their origin and quirks.
 */
export const NEISS_FOLDER = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'incidents');
const FILE = 'neiss_2014_2023_sample_nontoy.csv';

/**
 * Severity from the record's disposition: admitted and transferred (sent on to another hospital
 * for care the first could not give) as hospital stays, a fatality as a death, everything else
 * (treated and released, held for observation, left without being seen) as medical treatment.
 */
function severityOf(disposition: string): Severity {
  if (disposition.startsWith('FATALITY')) return 'death';
  if (disposition.includes('ADMITTED') || disposition.includes('TRANSFERRED')) return 'hospitalisation';
  return 'medical_treatment';
}

/**
 * The hazard only where the coder's diagnosis names one unambiguously; null otherwise (a
 * fracture may come from a fall, a tip-over or a blow, and NEISS does not say which).
 */
function hazardOf(diagnosis: string): Hazard | null {
  if (['LACERATION', 'AVULSION', 'AMPUTATION', 'PUNCTURE'].includes(diagnosis)) return 'laceration';
  if (diagnosis === 'BURN, CHEMICAL' || diagnosis === 'POISONING') return 'chemical_toxic';
  if (diagnosis === 'BURN, ELECTRICAL' || diagnosis === 'ELECTRIC SHOCK') return 'electric_shock';
  if (diagnosis.startsWith('BURN')) return 'fire_burn';
  if (diagnosis === 'INGESTION' || diagnosis === 'ASPIRATION') return 'choking_ingestion';
  return null;
}

/** The records as labelled narratives, or null (with the reason) when the data is absent. */
export function loadNeiss(): (LabelledNarrative & { caseNumber: number })[] | null {
  const path = join(NEISS_FOLDER, FILE);
  if (!existsSync(path)) return null;
  const rows = parse(readFileSync(path), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  return rows
    .filter((r) => (r.Narrative ?? '').trim() !== '')
    .map((r) => ({
      caseNumber: Number(r.CPSC_Case_Number),
      type: 'personal_injury' as const,
      category: '',
      description: r.Narrative ?? '',
      hazard: hazardOf(r.Diagnosis ?? ''),
      severity: severityOf(r.Disposition ?? ''),
    }));
}
