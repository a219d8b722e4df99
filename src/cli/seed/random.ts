/**
 * A small seeded random source (mulberry32), so the same seed always makes the same council: ids, names,
 * dates and every choice come from it, never from Math.random or the clock.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** A whole number from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Nothing to pick from');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    const total = choices.reduce((n, [, w]) => n + w, 0);
    let r = this.next() * total;
    for (const [value, w] of choices) {
      r -= w;
      if (r < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }

  /** A version 4 UUID made from this source (lower case, as the database returns ids). */
  uuid(): string {
    const hex: string[] = [];
    for (let i = 0; i < 4; i++)
      hex.push(
        Math.floor(this.next() * 4_294_967_296)
          .toString(16)
          .padStart(8, '0'),
      );
    const h = hex.join('').split('');
    h[12] = '4';
    h[16] = '89ab'[parseInt(h[16]!, 16) & 3]!;
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
  }

  /** A 64-character hex string (stand-in hashes of bodies the seed does not keep). */
  hex64(): string {
    let s = '';
    for (let i = 0; i < 8; i++)
      s += Math.floor(this.next() * 4_294_967_296)
        .toString(16)
        .padStart(8, '0');
    return s;
  }
}

// prettier-ignore
export const GIVEN_NAMES = [
  'Ava', 'Olivia', 'Amelia', 'Isla', 'Mia', 'Lily', 'Freya', 'Grace', 'Evie', 'Poppy', 'Ella', 'Sophie', 'Ruby',
  'Aisha', 'Zara', 'Maryam', 'Chloe', 'Jessica', 'Layla', 'Hannah', 'Noah', 'Oliver', 'George', 'Leo', 'Arthur',
  'Harry', 'Oscar', 'Jack', 'Charlie', 'Jacob', 'Muhammad', 'Ibrahim', 'Yusuf', 'Kai', 'Finley', 'Tyler', 'Riley',
  'Mason', 'Logan', 'Reggie', 'Kacper', 'Jakub', 'Zofia', 'Amara', 'Kofi', 'Tomasz', 'Ionut', 'Elena', 'Priya',
  'Ravi',
];
// prettier-ignore
export const FAMILY_NAMES = [
  'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright',
  'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Khan', 'Hussain',
  'Ahmed', 'Ali', 'Begum', 'Nowak', 'Kowalski', 'Popescu', 'Mensah', 'Okafor', 'Singh', 'Kaur', 'Murphy', 'Kelly',
  'Hughes', 'Edwards', 'Harris', 'Lewis', 'Hill', 'Moore', 'Cooper', 'Ward', 'Turner', 'Parker', 'Bell', 'Shaw',
];
// prettier-ignore
export const STREETS = [
  'Station Road', 'High Street', 'Church Lane', 'Victoria Road', 'Park Avenue', 'Mill Lane', 'Green Lane',
  'Manor Road', 'Queens Road', 'New Street', 'Albert Road', 'York Road', 'Chester Road', 'Windsor Close',
];
