import { ConfigError } from '../platform/config.ts';
import { buildProgram } from './program.ts';

const program = buildProgram();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Configuration found wanting after start-up began (a production server without its identity
  // key): the same message and status as a bad variable, not a stack trace.
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
