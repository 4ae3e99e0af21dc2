import { Command } from 'commander';
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

/** The `redress` command line with every command registered; main.ts parses the process's arguments with it. */
export function buildProgram(): Command {
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
  return program;
}
