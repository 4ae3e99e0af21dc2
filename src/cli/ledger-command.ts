import type { Command } from 'commander';
import { checkLedger } from '../ledger/check-ledger.ts';
import { openDatabase } from '../platform/db/connect.ts';
import { configOrExit } from './config-or-exit.ts';

export function registerLedgerCommand(program: Command): void {
  const ledger = program.command('ledger').description('Inspect the double-entry ledger');
  ledger
    .command('check')
    .description(
      'Verify every entry balances, balances equal their entries, and no claim was paid twice; exits 1 if not',
    )
    .action(async () => {
      const handle = await openDatabase(configOrExit());
      try {
        const result = await checkLedger(handle.db);
        for (const problem of result.problems) process.stdout.write(`PROBLEM ${problem}\n`);
        process.stdout.write(
          `${result.ok ? 'ledger OK' : 'ledger BROKEN'}: ${result.entries} entries, ${result.accounts} accounts, ${result.problems.length} problems\n`,
        );
        if (!result.ok) process.exitCode = 1;
      } finally {
        await handle.close();
      }
    });
}
