import { describe } from 'vitest';

/**
 * CI runs the whole suite twice, once per engine (`.ci/run`): PGlite, then the PostgreSQL server
 * named by DATABASE_URL. A few files start the `redress` binary on a PGlite folder of their own
 * whatever the run's engine, because what they test is the command line or a process dying, not
 * the database (the CLI, the `migrate --plan` and `safety fit` commands, a server killed while
 * delivering a webhook). Their second run repeated the first exactly: same engine, same folder,
 * same result, at about a minute of the PostgreSQL run's two workers (issue 15). They run in the
 * PGlite run only; the PostgreSQL run lists them as skipped.
 */
export const describeOnEmbeddedRun = describe.skipIf(Boolean(process.env.DATABASE_URL));
