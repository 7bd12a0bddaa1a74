import { describe, expect, it } from '@jest/globals';
import { pdsUserIdFor } from '../../src/pds-snapshot/identity.js';

describe('pdsUserIdFor', () => {
  it.each([
    ['0123456789', 'dt_0123456789'],
    ['manager4521', 'dt_manager4521'],
    ['12345678901234567890', 'dt_12345678901234567890'],
  ])('a userid that fits keeps its form: %s', (userid, expected) => {
    expect(pdsUserIdFor(userid)).toBe(expected);
  });

  it('a userid too long or with # becomes dt_h_ + 40 hex of its SHA-256, deterministically', () => {
    const long = 'x'.repeat(62);
    expect(pdsUserIdFor(long)).toMatch(/^dt_h_[0-9a-f]{40}$/);
    expect(pdsUserIdFor(long)).toBe(pdsUserIdFor(long));
    expect(pdsUserIdFor('a#b')).toMatch(/^dt_h_[0-9a-f]{40}$/);
    expect(pdsUserIdFor('a#b')).not.toBe(pdsUserIdFor('a#c'));
  });
});
