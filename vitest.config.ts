import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Generous: browser journeys (one test each, up to ~60 pages with axe) and CLI processes share a
    // 2-core CI machine with a second worker. Journeys set a short per-action timeout so a missing
    // element still fails fast and names itself.
    testTimeout: 300_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs: a single worker on a 2-core CI machine, idle
    // while it waits on PGlite's disk, ffmpeg and Chromium. Two keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
