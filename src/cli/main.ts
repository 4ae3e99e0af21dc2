import { Command } from 'commander';
import { ConfigError } from '../platform/config.ts';
import { registerMigrateCommand, registerSeedCommand } from './database-commands.ts';
import { registerDoctorCommand } from './doctor-command.ts';
import { registerImportCommand } from './import-command.ts';
import { registerKeysCommand } from './keys-command.ts';
import { registerLedgerCommand } from './ledger-command.ts';
import { registerOpenApiCommand } from './openapi-command.ts';
import { registerSafetyCommand } from './safety-command.ts';
import { registerScreeningCommand } from './screening-command.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerSimulateCommand } from './simulate-command.ts';

const program = new Command()
  .name('redress')
  .description('Redress: claims platform for marketplaces standing behind third-party sellers')
  .showHelpAfterError();

registerServeCommand(program);
registerMigrateCommand(program);
registerSeedCommand(program);
registerKeysCommand(program);
registerImportCommand(program);
registerLedgerCommand(program);
registerSimulateCommand(program);
registerScreeningCommand(program);
registerSafetyCommand(program);
registerOpenApiCommand(program);
registerDoctorCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Configuration found wanting after start-up began (a production server without its identity
  // key): the same message and status as a bad variable, not a stack trace.
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
