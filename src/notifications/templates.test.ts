import { describe, expect, it } from 'vitest';
import { render } from './templates.ts';

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
});
