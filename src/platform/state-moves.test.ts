import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { stateMachine } from './state-moves.ts';

describe('a transition table', () => {
  const door = stateMachine('door', { open: ['closed'], closed: ['open', 'locked'], locked: [] });

  it('knows its statuses and which are final', () => {
    expect(door.statuses).toEqual(['open', 'closed', 'locked']);
    expect([...door.final]).toEqual(['locked']);
    expect(door.isStatus('ajar')).toBe(false);
  });

  it('allows listed moves and staying put, refuses the rest with 409', () => {
    expect(() => door.assertMove('d1', 'open', 'closed')).not.toThrow();
    expect(() => door.assertMove('d1', 'open', 'open')).not.toThrow();
    expect(() => door.assertMove('d1', 'open', undefined)).not.toThrow();
    const refused = (() => {
      try {
        door.assertMove('d1', 'open', 'locked');
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(409);
    expect((refused as AppError).detail).toBe('door d1 is open; it cannot become locked');
    expect(door.canMove('ajar', 'open')).toBe(false);
    expect(door.canMove('locked', 'open')).toBe(false);
  });
});
