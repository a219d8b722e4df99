// One way for every benchmark to print a figure: what was measured, its anchor measured in the same run, the ratio
// between them and the target the figure is read against. Ratios are what to read: absolute times drift with the
// machine, a ratio to an anchor measured beside it does not. `npm run bench` prints every figure again at the end
// as one table.

export interface Figure {
  /** What was measured, for example "2 h WAV until durable and encrypted". */
  readonly what: string;
  /** The measured figure in `unit`. */
  readonly value: number;
  readonly unit: 'ms' | 's' | 'MiB';
  /** What the figure is compared with, measured in the same run, in the same unit. */
  readonly anchor?: { readonly what: string; readonly value: number };
  /** The target, as the issue states it, for example "≤ 1.2× anchor" or "≤ 50 ms". */
  readonly target?: string;
  /** Whether the figure meets the target in this run; left out when the target cannot be judged here. */
  readonly met?: boolean;
}

const printed: Figure[] = [];

function amount(value: number, unit: Figure['unit']): string {
  if (unit === 's') return `${value.toFixed(2)} s`;
  if (unit === 'MiB') return `${value.toFixed(0)} MiB`;
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

export function ratioOf(figure: Figure): number | undefined {
  if (!figure.anchor || figure.anchor.value <= 0) return undefined;
  return figure.value / figure.anchor.value;
}

export function describe(figure: Figure): string {
  const parts = [`${figure.what}: ${amount(figure.value, figure.unit)}`];
  const ratio = ratioOf(figure);
  if (figure.anchor) parts.push(`anchor ${figure.anchor.what} ${amount(figure.anchor.value, figure.unit)}`);
  if (ratio !== undefined) parts.push(`ratio ${ratio.toFixed(2)}×`);
  if (figure.target) {
    const verdict = figure.met === undefined ? '' : figure.met ? ' (met)' : ' (not met)';
    parts.push(`target ${figure.target}${verdict}`);
  }
  return parts.join(' | ');
}

/** Prints one figure, indented under its benchmark's heading, and keeps it for the closing table. */
export function report(figure: Figure): void {
  printed.push(figure);
  console.log(`  ${describe(figure)}`);
}

/** Every figure printed so far in this process, in order. */
export function reported(): readonly Figure[] {
  return printed;
}

/** Prints every figure of this run as one table: the figure, its anchor, the ratio and the target. */
export function printSummary(): void {
  if (printed.length === 0) return;
  console.log('\nsummary: figure | anchor | ratio | target');
  for (const figure of printed) console.log(`  ${describe(figure)}`);
}
