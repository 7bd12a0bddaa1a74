/**
 * mulberry32: a tiny seeded PRNG, the one of both simulators and the soak, so a seed always
 * gives the same org, the same faults and the same soak.
 */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function pick(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}
