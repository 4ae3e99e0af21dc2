import type { PaymentProvider, PayoutRequest, PayoutResult } from './payment-provider.ts';

/**
 * An external payments API: `POST {baseUrl}/payouts` with the payout id as `Idempotency-Key`.
 * 2xx with `{ id }` is settled; 4xx is a refusal (a retry would be refused too); a timeout,
 * a 5xx or a broken connection leaves the outcome unknown, so the worker asks again later
 * with the same key and the provider answers with the first result.
 */
export class HttpPaymentProvider implements PaymentProvider {
  readonly name = 'http';
  readonly #baseUrl: string;
  readonly #timeoutMs: number;

  constructor(baseUrl: string, options: { timeoutMs?: number } = {}) {
    this.#baseUrl = baseUrl.replace(/\/$/, '');
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  async pay(request: PayoutRequest): Promise<PayoutResult> {
    let response: Response;
    try {
      response = await fetch(`${this.#baseUrl}/payouts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': request.payoutId },
        body: JSON.stringify({
          reference: request.payoutId,
          claimId: request.claimId,
          recipient: request.customerId,
          amount: request.amount,
          currency: request.currency,
        }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      return { outcome: 'retry', reason: `no answer: ${(error as Error).message}` };
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 500 || response.status === 429) {
      return { outcome: 'retry', reason: `provider answered ${response.status}` };
    }
    if (response.status >= 400)
      return { outcome: 'rejected', reason: `provider refused (${response.status}): ${text.slice(0, 300)}` };
    try {
      const body = JSON.parse(text) as { id?: unknown };
      if (typeof body.id === 'string' && body.id) return { outcome: 'settled', reference: body.id };
    } catch {}
    return { outcome: 'retry', reason: 'provider answered 2xx without a payout id' };
  }
}
