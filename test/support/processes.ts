import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A TCP port on loopback that nothing listens on right now, for a server process to take. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => child.once('exit', () => resolve()));
