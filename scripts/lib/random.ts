// A seeded random source, so a simulation run (and a failing test) can be
// replayed exactly from its seed.

export type Rng = {
  /** A float in [0, 1). */
  next: () => number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  digits(count: number): string;
  /**
   * An identifier unique to this stream: prefix + seed + stream + counter, each
   * at a fixed width so that no two (seed, stream, counter) give the same text.
   */
  uniqueId(prefix: string): string;
};

/** mulberry32: tiny, fast and good enough for test data. */
function mulberry32(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const base36 = (value: number, width: number) => value.toString(36).toUpperCase().padStart(width, "0");

/**
 * `stream` separates independent sequences drawn from one seed: the simulator
 * gives each scenario run its own stream, so concurrent runs do not disturb
 * each other's draws and the whole run stays reproducible.
 */
export function createRng(seed: number, stream = 0): Rng {
  const seed32 = seed >>> 0;
  const random = mulberry32(seed32 ^ Math.imul(stream + 1, 0x9e3779b1));
  const tag = `${base36(seed32, 7)}${base36(stream, 4)}`;
  let counter = 0;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  return {
    next: random,
    int,
    chance: (probability) => random() < probability,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(0, items.length - 1)] as T;
    },
    shuffle<T>(items: readonly T[]): T[] {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy;
    },
    digits: (count) => Array.from({ length: count }, () => String(int(0, 9))).join(""),
    uniqueId: (prefix) => `${prefix}${tag}${base36(counter++, 3)}`,
  };
}
