import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour = 'ok' | 'fail500' | 'reject400' | 'pay-then-timeout' | 'hang';

/**
 * A payments API for tests that behaves like a real one: it de-duplicates by Idempotency-Key
 * (a second request for a paid payout returns the first payment), and it can be told to fail,
 * refuse, or pay and then lose the answer.
 */
export class FakePayments {
  readonly payments = new Map<string, { id: string; amount: number }>();
  readonly calls: string[] = [];
  /** Behaviours for the next calls, in order; 'ok' once the list is empty. */
  script: Behaviour[] = [];
  onCall: ((key: string) => void) | null = null;
  #server: Server | null = null;
  #hanging: ServerResponse[] = [];
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Forgets every call, payment and scripted answer: the next test's provider, on the same port. */
  forget(): void {
    for (const res of this.#hanging) res.destroy();
    this.#hanging = [];
    this.payments.clear();
    this.calls.length = 0;
    this.script = [];
    this.onCall = null;
  }

  async stop(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  timesPaid(key: string): number {
    return this.payments.has(key) ? 1 : 0;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const key = String(req.headers['idempotency-key'] ?? '');
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { amount: number };
    this.calls.push(key);
    this.onCall?.(key);
    const behaviour = this.script.shift() ?? 'ok';
    const pay = () => {
      const existing = this.payments.get(key);
      if (existing) return existing;
      const payment = { id: `fp_${this.payments.size + 1}`, amount: body.amount };
      this.payments.set(key, payment);
      return payment;
    };
    switch (behaviour) {
      case 'fail500':
        res.writeHead(500).end('{"error":"try later"}');
        return;
      case 'reject400':
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"account closed"}');
        return;
      case 'pay-then-timeout':
        pay();
        this.#hanging.push(res);
        return;
      case 'hang':
        this.#hanging.push(res);
        return;
      case 'ok':
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(pay()));
    }
  }
}
