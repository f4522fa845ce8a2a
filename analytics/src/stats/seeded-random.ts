// A small deterministic pseudo-random generator. Tests and simulations need the
// same stream on every run and platform; Math.random cannot be seeded.

export interface SeededRandom {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Standard normal, by the Box-Muller transform. */
  normal(): number;
  /** Integer uniform on [0, bound). */
  integer(bound: number): number;
}

/**
 * mulberry32: 32 bits of state, passes the usual statistical batteries well
 * enough for test data, and needs only 32-bit integer arithmetic, so it gives
 * bit-identical streams everywhere.
 */
export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform,
    normal: () => {
      // 1 - uniform() lies in (0, 1], so the logarithm is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
      return radius * Math.cos(2 * Math.PI * uniform());
    },
    integer: (bound) => Math.floor(uniform() * bound),
  };
}
