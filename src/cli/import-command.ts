import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { importRecords } from '../marketplace/import-records.ts';
import { systemPrincipal } from '../platform/auth/roles.ts';
import { startRuntime } from '../platform/runtime.ts';
import { configOrExit } from './config-or-exit.ts';

export function registerImportCommand(program: Command): void {
  program
    .command('import <file>')
    .description('Import an NDJSON feed of marketplaces, sellers, products, customers and orders')
    .option('--errors <n>', 'how many line errors to print', '20')
    .action(async (file: string, options: { errors: string }) => {
      const runtime = await startRuntime(configOrExit());
      const total = statSync(file).size;
      const bar = new SingleBar({
        format: 'import [{bar}] {percentage}% | {lines} lines | {failed} failed',
        hideCursor: true,
      });
      bar.start(total, 0, { lines: 0, failed: 0 });
      const stream = createReadStream(file, 'utf8');
      const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      const report = await importRecords(runtime.ctx, systemPrincipal('cli-import'), lines, (r) =>
        bar.update(stream.bytesRead, { lines: r.lines, failed: r.failed }),
      );
      bar.update(total, { lines: report.lines, failed: report.failed });
      bar.stop();
      await runtime.close();
      process.stdout.write(
        `${report.imported} imported, ${report.failed} failed (${JSON.stringify(report.byKind)})\n`,
      );
      for (const e of report.errors.slice(0, Number(options.errors))) {
        process.stdout.write(`  line ${e.line}: ${e.field}: ${e.rule}\n`);
      }
      if (report.failed > 0) process.exitCode = 1;
    });
}
