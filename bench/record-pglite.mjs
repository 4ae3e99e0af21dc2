// Preloaded into a server by the intake bench (`node --import`), never by Redress itself: records
// every protocol message the server's PGlite runs (execProtocolStream, through which PGlite's own
// exec and query send theirs too) and every write of its files to disk (syncToFs), in the order
// run, with the wall-clock time of each and whether it failed, and writes them to
// BENCH_RECORD_PGLITE when the process exits. The bench runs them again on a copy of the
// database as it was before the server started: the same statements, with nothing of Redress
// around them (bench/intake.ts).
import { writeFileSync } from 'node:fs';
import { serialize } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';

const file = process.env.BENCH_RECORD_PGLITE;
if (file) {
  const calls = [];
  for (const method of ['execProtocolStream', 'syncToFs']) {
    let owner = PGlite.prototype;
    while (owner && !Object.hasOwn(owner, method)) owner = Object.getPrototypeOf(owner);
    if (!owner) throw new Error(`PGlite has no ${method} to record`);
    const original = owner[method];
    owner[method] = function recorded(...args) {
      // A message is built for its one call and not changed after it. Its options are not kept:
      // a sync to disk it asks for is a syncToFs call of its own, recorded as such.
      const [message] = args;
      const call =
        method === 'execProtocolStream'
          ? { at: Date.now(), method, message, failed: false }
          : { at: Date.now(), method, failed: false };
      calls.push(call);
      const result = original.apply(this, args);
      Promise.resolve(result).catch(() => {
        call.failed = true;
      });
      return result;
    };
  }
  process.on('exit', () => writeFileSync(file, serialize(calls)));
}
