import { describe, expect, it } from '@jest/globals';
import { decodeMarker, encodeMarker, OrderedMap } from '../../../sim/pds/ordered.js';

const filled = (n: number) => {
  const m = new OrderedMap<number>();
  for (let i = 0; i < n; i++) m.set(`k${i}`, i);
  return m;
};

/** Walks every page from the start; `between` runs after each page. */
function walk(
  m: OrderedMap<number>,
  limit: number,
  between: (page: number) => void = () => undefined,
): string[] {
  const ids: string[] = [];
  let from = 0;
  for (let page = 0; ; page++) {
    const p = m.page(from, limit);
    ids.push(...p.items.map(([id]) => id));
    between(page);
    if (p.next === undefined) return ids;
    from = p.next;
  }
}

describe('simulator listings (OrderedMap): stable insertion order with opaque markers', () => {
  it('the last page says so: no trailing empty page', () => {
    const m = filled(200);
    expect(m.page(0, 100).next).toBeDefined();
    const second = m.page(m.page(0, 100).next ?? 0, 100);
    expect(second.items).toHaveLength(100);
    expect(second.next).toBeUndefined();
  });

  it('a listing stays stable while items are deleted and added between pages (each survivor exactly once)', () => {
    const m = filled(1000);
    const ids = walk(m, 100, (page) => {
      m.delete(`k${page * 100 + 150}`); // an item on the next page
      m.set(`new${page}`, -1); // appended at the end
    });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain('k150');
    expect(ids).toContain('new0');
  });

  it('an updated value keeps its position', () => {
    const m = filled(3);
    m.set('k0', 99);
    expect([...m.entries()]).toEqual([
      ['k0', 99],
      ['k1', 1],
      ['k2', 2],
    ]);
  });

  it('mass deletes are swept and listing still works', () => {
    const m = filled(5000);
    for (let i = 0; i < 4000; i++) m.delete(`k${i}`);
    expect(m.size).toBe(1000);
    expect(walk(m, 100)).toEqual(Array.from({ length: 1000 }, (_, i) => `k${i + 4000}`));
  });

  it('markers round-trip and foreign markers are refused', () => {
    expect(decodeMarker(encodeMarker('u', 42), ['u'])).toEqual({ kind: 'u', seq: 42 });
    expect(() => decodeMarker(encodeMarker('g', 1), ['u'])).toThrow('marker');
    expect(() => decodeMarker('%%%', ['u'])).toThrow('marker');
  });
});
