import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { startRuntime } from '../app/runtime.ts';
import {
  claimImportJob,
  createImportJob,
  findImportJob,
  importErrorRows,
  receiveImport,
} from '../marketplace/import/import-jobs.ts';
import { IMPORT_LEASE_MS, runImportJob } from '../marketplace/import/run-import-job.ts';
import { systemPrincipal } from '../platform/auth/roles.ts';
import { configOrExit } from './config-or-exit.ts';

export function registerImportCommand(program: Command): void {
  program
    .command('import [file]')
    .description(
      'Import an NDJSON (or .csv) feed of marketplaces, sellers, products, customers and orders as a job; ' +
        'if this command dies, a server resumes the job (or run import --resume <id>)',
    )
    .option('--errors <n>', 'how many line errors to print', '20')
    .option('--resume <id>', 'resume an import job left unfinished (its lease must have run out)')
    .action(async (file: string | undefined, options: { errors: string; resume?: string }) => {
      if (!file && !options.resume) {
        process.stderr.write('name a file to import, or --resume <id>\n');
        process.exit(2);
      }
      const runtime = await startRuntime(configOrExit());
      const { ctx } = runtime;
      const owner = `cli-${process.pid}`;
      let id = options.resume;
      if (!id && file) {
        id = await createImportJob(
          ctx,
          systemPrincipal('cli-import'),
          file.endsWith('.csv') ? 'csv' : 'ndjson',
        );
        await receiveImport(ctx, id, createReadStream(file, { highWaterMark: 1 << 20 }));
      }
      const claimed = id ? await claimImportJob(ctx, owner, IMPORT_LEASE_MS, id) : null;
      if (!claimed || !id) {
        process.stderr.write(`import ${id} is not waiting (finished, or held by a live worker)\n`);
        await runtime.close();
        process.exit(1);
      }
      process.stderr.write(`import ${id}\n`);
      // Imported here: every command, `serve` included, loads this module to register the command.
      const { SingleBar } = await import('cli-progress');
      const bar = new SingleBar({
        format: 'import [{bar}] {percentage}% | {lines} lines | {rate} lines/s | {failed} failed',
        hideCursor: true,
      });
      const started = performance.now();
      const rate = (lines: number) => Math.round(lines / ((performance.now() - started) / 1000 || 1));
      bar.start(claimed.bytes_total, claimed.bytes_done, {
        lines: claimed.lines,
        failed: claimed.failed,
        rate: 0,
      });
      await runImportJob(ctx, claimed, {
        owner,
        onProgress: (job) =>
          bar.update(job.bytes_done, { lines: job.lines, failed: job.failed, rate: rate(job.lines) }),
      });
      const report = await findImportJob(ctx, id);
      bar.update(report?.bytes_total ?? 0, {
        lines: report?.lines,
        failed: report?.failed,
        rate: rate(report?.lines ?? 0),
      });
      bar.stop();
      if (!report) throw new Error(`import ${id} vanished`);
      process.stdout.write(
        `${report.imported} imported, ${report.failed} failed (${JSON.stringify(report.by_kind)})\n`,
      );
      let shown = 0;
      for await (const e of importErrorRows(ctx, id)) {
        if (shown++ >= Number(options.errors)) break;
        process.stdout.write(`  line ${e.line}: ${e.field}: ${e.rule}\n`);
      }
      await runtime.close();
      if (report.failed > 0 || report.status !== 'succeeded') process.exitCode = 1;
    });
}
