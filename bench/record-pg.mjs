// Preloaded into a server by the intake bench (`node --import`), never by Redress itself: records
// every statement the server sends through `pg` (Kysely's pool, the worker leader's and the
// listener's connections alike: all are pg.Client), with its connection, its text, its prepared
// statement name and its values as handed to the driver, and two marks on one counter: when it
// was sent and when its answer came back. Written to BENCH_RECORD_PG when the process exits. The
// bench runs them again on a copy of the database as it was before the server started, through
// `pg` alone: the same statements, with nothing of Redress around them (bench/intake.ts).
import { writeFileSync } from 'node:fs';
import { serialize } from 'node:v8';
import pg from 'pg';

const file = process.env.BENCH_RECORD_PG;
if (file) {
  const calls = [];
  const connections = new WeakMap();
  let mark = 0;
  let opened = 0;
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function recorded(config, values, callback) {
    let connection = connections.get(this);
    if (connection === undefined) {
      connection = opened++;
      connections.set(this, connection);
    }
    const call = { connection, pid: this.processID, at: Date.now(), sent: ++mark, done: 0, failed: false };
    if (typeof config === 'string')
      Object.assign(call, { text: config, values: Array.isArray(values) ? values : undefined });
    else if (config && typeof config.submit === 'function')
      call.submittable = true; // COPY: not replayed
    else
      Object.assign(call, {
        text: config?.text,
        name: config?.name,
        values: config?.values ?? (Array.isArray(values) ? values : undefined),
      });
    calls.push(call);
    const settle = (failed) => {
      call.done = ++mark;
      call.failed = failed;
    };
    // Redress sends every statement in the promise form; a callback's outcome, or a COPY's (a
    // submittable, not replayed), is not marked.
    const result = original.call(this, config, values, callback);
    if (result && typeof result.then === 'function')
      result.then(
        () => settle(false),
        () => settle(true),
      );
    return result;
  };
  // A NOTIFY reaches its listener when the notifying commit is done in the database, and Node may
  // read it before the committing connection's answer: the replay must know the commit came first.
  const notified = pg.Client.prototype._handleNotification;
  if (typeof notified !== 'function') throw new Error('pg.Client has no _handleNotification to record');
  pg.Client.prototype._handleNotification = function recordedNotification(message) {
    calls.push({ notification: true, from: message.processId, at: Date.now(), sent: ++mark });
    return notified.call(this, message);
  };
  process.on('exit', () => writeFileSync(file, serialize(calls)));
}
