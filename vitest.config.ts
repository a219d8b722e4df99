import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // Generous: browser journeys (one test each, up to ~60 pages with axe) and CLI processes share a
    // 2-core CI machine with a second worker. Journeys set a short per-action timeout so a missing
    // element still fails fast and names itself.
    testTimeout: 300_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs: a single worker on a 2-core CI machine, idle
    // while it waits on PGlite's disk, ffmpeg and Chromium. Two keep both cores busy. Both projects
    // share these workers (Vitest runs projects with different worker counts one after the other),
    // slowest files first, so browser journeys overlap with unit and integration files.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/browser/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          // A journey's set-up starts the service's stack and Chromium and prepares its records: on a
          // busy 2-core machine that alone has taken over a minute. Each step inside still waits for a
          // state, never for time.
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
