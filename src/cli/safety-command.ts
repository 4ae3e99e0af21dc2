import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { startRuntime } from '../platform/runtime.ts';
import { importPublicRecalls } from '../safety/import-public-recalls.ts';
import { configOrExit } from './config-or-exit.ts';

export function registerSafetyCommand(program: Command): void {
  const safety = program.command('safety').description('Product safety: public recall notices');

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
}
