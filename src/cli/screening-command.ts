import type { Command } from 'commander';
import { putMarketplace } from '../marketplace/put-marketplace.ts';
import { currentPolicyVersion, findMarketplace } from '../marketplace/store.ts';
import { systemPrincipal } from '../platform/auth/roles.ts';
import { startRuntime } from '../platform/runtime.ts';
import { evaluate, fitLogistic, isHeldBack, labelledExamples } from '../screening/fit.ts';
import { DEFAULT_SIGNAL_WEIGHTS } from '../screening/signals.ts';
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
        const marketplace = await findMarketplace(ctx.db, o.marketplace);
        const version = await currentPolicyVersion(ctx.db, o.marketplace);
        if (!marketplace || !version) throw new Error(`marketplace ${o.marketplace} does not exist`);
        const examples = await labelledExamples(ctx.db, o.marketplace);
        const train = examples.filter((e) => !isHeldBack(e.claimId));
        const test = examples.filter((e) => isHeldBack(e.claimId));
        if (train.length < 20)
          throw new Error(`only ${train.length} labelled claims to learn from; at least 20 are needed`);
        const model = fitLogistic(train);
        const threshold = version.policy.fraud.reviewThreshold;
        const before = evaluate(
          {
            bias: version.policy.fraud.bias,
            weights: { ...DEFAULT_SIGNAL_WEIGHTS, ...version.policy.fraud.weights },
          },
          test,
          threshold,
        );
        const after = evaluate(model, test, threshold);
        process.stdout.write(
          `${JSON.stringify({ labelled: examples.length, trainedOn: train.length, heldBack: test.length, threshold, before, after, model }, null, 2)}\n`,
        );
        if (!o.dryRun) {
          await ctx.db.transaction().execute((tx) =>
            putMarketplace(tx, ctx.clock, systemPrincipal('screening-fit'), marketplace.id, {
              name: marketplace.name,
              currency: marketplace.currency,
              region: marketplace.region,
              holidayCalendar: marketplace.holiday_calendar,
              timeZone: marketplace.time_zone,
              policy: {
                ...version.policy,
                fraud: { ...version.policy.fraud, bias: model.bias, weights: model.weights },
              },
            }),
          );
          const written = await currentPolicyVersion(ctx.db, o.marketplace);
          process.stdout.write(`wrote policy version ${written?.version} for ${o.marketplace}\n`);
        }
      } catch (error) {
        process.stderr.write(`${(error as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await runtime.close();
      }
    });
}
