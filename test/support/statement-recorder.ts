import type { LogEvent } from 'kysely';

/**
 * Records the statements a piece of work sends, for the statement-budget tests: `log` goes to the
 * world's Kysely (createWorld's `log`), `record` keeps what one call sends. The PostgreSQL driver
 * logs begin and commit, PGlite's dialect does not: neither is counted.
 */
export function statementRecorder() {
  let recording: string[] | null = null;
  return {
    log: (event: LogEvent) => {
      if (!/^(begin|commit|rollback)/i.test(event.query.sql)) recording?.push(event.query.sql);
    },
    async record<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
      const statements: string[] = [];
      recording = statements;
      try {
        return { result: await work(), statements };
      } finally {
        recording = null;
      }
    },
  };
}
