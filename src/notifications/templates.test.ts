import { describe, expect, it } from 'vitest';
import { render, renderCustomerUpdates } from './templates.ts';

describe('e-mail templates', () => {
  it('fills placeholders in text and subject, and escapes the HTML', () => {
    const mail = render(
      'customer_decision',
      { name: 'Dana <script>', claimId: 'clm_1', headline: 'your claim was approved', detail: 'Soon.' },
      'en',
    );
    expect(mail.subject).toBe('Your claim clm_1: your claim was approved');
    expect(mail.text).toContain('Hello Dana <script>,');
    expect(mail.html).toContain('Hello Dana &lt;script&gt;,');
    expect(mail.html).not.toContain('<script>');
  });

  it('speaks the customer’s language and falls back to English', () => {
    expect(
      render('customer_decision', { name: 'Ana', claimId: 'c', headline: 'h', detail: 'd' }, 'es').text,
    ).toContain('Hola Ana');
  });

  it('leaves an unknown placeholder visible rather than dropping it', () => {
    expect(render('seller_notice', { name: 'Acme', claimId: 'c', detail: '' }, 'en').text).toContain(
      '{deadline}',
    );
  });

  it("puts a customer's decisions on one claim in one e-mail, in order, under the latest's subject", () => {
    const step = (headline: string, detail: string) => ({ name: 'Ana', claimId: 'clm_1', headline, detail });
    const mail = renderCustomerUpdates(
      [
        step('hemos recibido su reclamación', 'Reclamó 450,00 US$.'),
        step('se le ha pagado', 'El pago se envió el 16 de noviembre de 2026.'),
      ],
      'es',
    );
    expect(mail.subject).toBe('Su reclamación clm_1: se le ha pagado');
    expect(mail.text).toBe(
      'Hola Ana:\n\nhemos recibido su reclamación.\nReclamó 450,00 US$.\n\nse le ha pagado.\nEl pago se envió el 16 de noviembre de 2026.\n\nPuede seguir su reclamación en cualquier momento desde su cuenta. Referencia: clm_1.',
    );
    expect(mail.html.match(/<p>/g)).toHaveLength(4);
  });
});
