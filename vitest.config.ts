import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests start real servers and child processes; two workers match the 2-core CI machine.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
