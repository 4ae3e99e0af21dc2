import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
