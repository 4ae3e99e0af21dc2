import { InvalidArgumentError } from 'commander';
import { ROLES, type Role } from '../platform/auth/roles.ts';
import { type Config, ConfigError, loadConfig } from '../platform/config.ts';

export function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  }
  return value as Role;
}

/** Reads the configuration or exits with status 2 and a message naming each bad variable. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
