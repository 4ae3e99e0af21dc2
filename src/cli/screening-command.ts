import type { Command } from 'commander';
import { startRuntime } from '../app/runtime.ts';
import { systemPrincipal } from '../platform/auth/roles.ts';
import { fitScreeningWeights } from '../screening/fit-weights.ts';
import { configOrExit } from './config-or-exit.ts';

export function registerScreeningCommand(program: Command): void {
  const screening = program.command('screening').description('Fraud screening models');
  screening
    .command('fit')
    .description(
      'Fit the signal weights to labelled outcomes (expert findings, agent decisions) and write a new policy version',
    )
    .requiredOption('--marketplace <id>', 'the marketplace whose labels and policy to use')
    .option('--dry-run', 'print the model and its figures without writing a policy version')
    .action(async (o: { marketplace: string; dryRun?: boolean }) => {
      const runtime = await startRuntime({ ...configOrExit(), logLevel: 'warn' });
      const { ctx } = runtime;
      try {
        // The same use case as POST /v1/screening/fit (an admin's button on the dashboard).
        const report = await ctx.db.transaction().execute((tx) =>
          fitScreeningWeights(tx, ctx.clock, systemPrincipal('screening-fit'), {
            marketplaceId: o.marketplace,
            apply: !o.dryRun,
          }),
        );
        const { writtenPolicyVersion, marketplaceId, ...figures } = report;
        process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
        if (writtenPolicyVersion !== null)
          process.stdout.write(`wrote policy version ${writtenPolicyVersion} for ${marketplaceId}\n`);
      } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await runtime.close();
      }
    });
}
