import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { startRuntime } from '../app/runtime.ts';
import { fitHazardModel, type HazardLabel, parseHazardLabels } from '../safety/fit-hazard-model.ts';
import { importPublicRecalls } from '../safety/import-public-recalls.ts';
import { configOrExit } from './config-or-exit.ts';

export function registerSafetyCommand(program: Command): void {
  const safety = program
    .command('safety')
    .description('Product safety: public recall notices, the hazard model fitted on people’s coding');

  safety
    .command('import-recalls <file>')
    .description('Import public recall notices (CPSC format) from NDJSON or CSV and match them to products')
    .option('--format <format>', 'ndjson or csv (default: from the file name)')
    .option('--errors <n>', 'how many line errors to print', '20')
    .action(async (file: string, options: { format?: string; errors: string }) => {
      const format = options.format ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'ndjson');
      if (format !== 'csv' && format !== 'ndjson') {
        process.stderr.write(`--format must be ndjson or csv, not ${format}\n`);
        process.exitCode = 2;
        return;
      }
      // A notice feed is thousands of records, not millions: read whole, as the route does.
      const text = readFileSync(file, 'utf8');
      const runtime = await startRuntime(configOrExit());
      const report = await importPublicRecalls(runtime.ctx, text, format);
      await runtime.close();
      process.stdout.write(
        `${report.imported} imported, ${report.failed} failed, ${report.productMatches} products matched for review\n`,
      );
      for (const e of report.errors.slice(0, Number(options.errors))) {
        process.stdout.write(`  line ${e.line}: ${e.field}: ${e.rule}\n`);
      }
      if (report.failed > 0) process.exitCode = 1;
    });

  safety
    .command('fit')
    .description(
      'Fit the hazard model to the hazards staff coded (and an optional labelled file), report per-class precision and recall on a held-back part, and store it as a new version',
    )
    .option(
      '--labels <file>',
      'NDJSON of {"description", "hazard", "type"?, "category"?} to learn from as well',
    )
    .option('--min-labels <n>', 'refuse to fit on fewer labels', '20')
    .option('--dry-run', 'print the figures without storing the model')
    .action(async (o: { labels?: string; minLabels: string; dryRun?: boolean }) => {
      let fileLabels: HazardLabel[] = [];
      if (o.labels) {
        const parsed = parseHazardLabels(readFileSync(o.labels, 'utf8'));
        for (const e of parsed.errors.slice(0, 20))
          process.stderr.write(`  ${o.labels} line ${e.line}: ${e.field}: ${e.rule}\n`);
        if (parsed.errors.length > 0) {
          process.stderr.write(`${parsed.errors.length} bad lines in ${o.labels}; nothing fitted\n`);
          process.exitCode = 1;
          return;
        }
        fileLabels = parsed.labels;
      }
      const runtime = await startRuntime({ ...configOrExit(), logLevel: 'warn' });
      try {
        const report = await fitHazardModel(runtime.ctx, {
          fileLabels,
          minLabels: Number(o.minLabels),
          dryRun: o.dryRun,
          fittedBy: 'redress safety fit',
        });
        process.stdout.write(formatFitReport(report));
        if (report.refusal) {
          process.stderr.write(`${report.refusal}\n`);
          process.exitCode = 1;
        }
      } finally {
        await runtime.close();
      }
    });
}

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);

/** The fit's figures as a reader wants them: labels, per-class precision and recall, and what was stored. */
export function formatFitReport(r: Awaited<ReturnType<typeof fitHazardModel>>): string {
  const lines = [
    `labels: ${r.labels.coded} coded by staff, ${r.labels.file} from the file (${Object.entries(
      r.labels.byHazard,
    )
      .map(([h, n]) => `${h} ${n}`)
      .join(', ')})`,
  ];
  if (r.refusal) return `${lines.join('\n')}\n`;
  lines.push(`trained on ${r.trainedOn}, held back ${r.heldBack}`);
  if (r.heldBack === 0) lines.push('no label fell in the held-back part: no figures yet');
  for (const c of r.perClass)
    lines.push(
      `  ${c.hazard.padEnd(26)} precision ${pct(c.precision).padStart(6)}  recall ${pct(c.recall).padStart(6)}  (${c.support} held back)`,
    );
  lines.push(
    `held-back hazard accuracy: rules alone ${pct(r.heldBackAccuracy.rulesAlone)}, rules asking the model when unsure ${pct(r.heldBackAccuracy.rulesWithModel)} (${r.verdictsChanged} verdicts settled by the model)`,
  );
  lines.push(r.version ? `stored hazard model version ${r.version}` : 'dry run: nothing stored');
  return `${lines.join('\n')}\n`;
}
