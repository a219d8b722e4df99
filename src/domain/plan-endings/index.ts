/** Plans ending, stepping down and moving away (002 §3.8, §3.9, T-4, T-9). */
export * from './endings.ts';
export * from './step-down.ts';
export * from './transfer.ts';
