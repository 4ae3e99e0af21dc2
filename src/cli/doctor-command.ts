import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../platform/config.ts';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check configuration, database, disk, mail and payments, and say what to fix; exits 1 on a problem',
    )
    .action(async () => {
      let config: ReturnType<typeof loadConfig>;
      try {
        config = loadConfig();
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        process.stdout.write(
          `FAIL  config      ${error.message}\n      fix: correct the variables named above\n`,
        );
        process.exitCode = 1;
        return;
      }
      // Imported when the command runs: its checks bring nodemailer, which `serve` loads only to send mail.
      const { runDoctor } = await import('../platform/doctor/checks.ts');
      const findings = await runDoctor(config);
      for (const f of findings) {
        process.stdout.write(`${f.verdict.toUpperCase().padEnd(5)} ${f.check.padEnd(11)} ${f.message}\n`);
        if (f.fix) process.stdout.write(`      fix: ${f.fix}\n`);
      }
      const failed = findings.filter((f) => f.verdict === 'fail').length;
      process.stdout.write(failed ? `${failed} problem(s) to fix\n` : 'no problems\n');
      if (failed) process.exitCode = 1;
    });
}
