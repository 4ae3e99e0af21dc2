import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { usMarketplace } from '../fixtures.ts';
import { createWorld, type World } from '../harness.ts';

type MarketplaceKeys = Awaited<ReturnType<typeof usMarketplace>>;

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP receiver for webhooks: records what arrives and answers as told. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  /** Answers for the next requests, in order: a status code, or 'hang' to never answer. */
  script: (number | 'hang')[] = [];
  #server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        const answer = this.script.shift() ?? 204;
        if (answer === 'hang') return;
        res.writeHead(answer).end(answer >= 400 ? 'nope' : '');
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hooks`;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  types(): string[] {
    return this.received.map((r) => (JSON.parse(r.body) as { type: string }).type);
  }
}

/**
 * A world of the US marketplace with a receiver on 127.0.0.1 and private targets allowed for it,
 * explicitly. It starts now: Standard Webhooks verifiers reject timestamps far from real time.
 * The marketplace's setup (Acme's policy on file) goes out before the tests' endpoints exist.
 */
export async function worldWithReceiver() {
  const receiver = new WebhookReceiver();
  await receiver.start();
  const world = await createWorld({ start: new Date(), allowPrivateWebhooks: true });
  const keys = await usMarketplace(world);
  await world.work();
  return {
    world,
    keys,
    receiver,
    /** The same world and receiver, emptied for the next test: the clock at real time again. */
    reset: async () => {
      await world.reset(new Date());
      receiver.received.length = 0;
      receiver.script = [];
      const fresh = await usMarketplace(world);
      await world.work();
      return fresh;
    },
    close: async () => {
      await world.close();
      await receiver.stop();
    },
  };
}

/**
 * One world and receiver for a whole test file, emptied before each test after the first (a new
 * world per test cost a database and a server each time). `use` is handed the world, the
 * marketplace's keys of the current test and the receiver before every test.
 */
export function oneWorldWithReceiverPerFile(
  use: (current: { world: World; keys: MarketplaceKeys; receiver: WebhookReceiver }) => void,
): void {
  let shared: Awaited<ReturnType<typeof worldWithReceiver>>;
  let firstTest = true;
  beforeAll(async () => {
    shared = await worldWithReceiver();
  });
  afterAll(() => shared?.close());
  beforeEach(async () => {
    const keys = firstTest ? shared.keys : await shared.reset();
    firstTest = false;
    use({ world: shared.world, keys, receiver: shared.receiver });
  });
}
