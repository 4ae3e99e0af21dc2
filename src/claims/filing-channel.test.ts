import { describe, expect, it } from 'vitest';
import type { Principal } from '../platform/auth/roles.ts';
import { filingChannel } from './filing-channel.ts';

const as = (role: Principal['role']): Principal => ({ role, partyId: null, keyId: 'k', requestId: null });

describe('the filing channel', () => {
  it('is api for a customer that does not say, and web or api as it says', () => {
    expect(filingChannel(as('customer'), undefined)).toBe('api');
    expect(filingChannel(as('customer'), 'web')).toBe('web');
  });

  it('refuses a customer a channel only staff take claims through, naming the field', () => {
    for (const channel of ['phone', 'email', 'letter', 'chat'] as const) {
      expect(() => filingChannel(as('customer'), channel)).toThrow(/customer filing itself/);
    }
    try {
      filingChannel(as('customer'), 'phone');
    } catch (error) {
      expect((error as { extra?: unknown; details?: unknown }) ?? {}).toMatchObject({
        code: 'validation_failed',
      });
    }
  });

  it('requires an agent or a TPA to say how the customer reached it', () => {
    expect(() => filingChannel(as('agent'), undefined)).toThrow(/required when staff file/);
    expect(() => filingChannel(as('tpa'), 'web')).toThrow(/required when staff file/);
    expect(filingChannel(as('agent'), 'phone')).toBe('phone');
    expect(filingChannel(as('tpa'), 'letter')).toBe('letter');
  });
});
