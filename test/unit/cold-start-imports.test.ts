import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../support/processes/loaded-modules.ts', import.meta.url));

/** What loading a function must not pull in: layers used on first need only (the cold-start target). */
const LAZY = [
  /^shared\/ai\//,
  /^shared\/notifications\//,
  /^shared\/health\//,
  /^pkg:(openai|@anthropic-ai\/sdk|@google\/genai|@pydantic\/genai-prices|googleapis|@opentelemetry\/sdk-metrics)$/,
];

describe('a function’s module load stays small (cold start): the AI layer, notifications and SDKs load on use', () => {
  it.each(['github-webhook', 'drive-notifications', 'status-api', 'sync-worker', 'scheduler'])(
    '%s',
    async (fn) => {
      const { stdout } = await run(process.execPath, [SCRIPT, `${ROOT}functions/${fn}/index.ts`], {
        timeout: 60_000,
      });
      const loaded = stdout.split('\n');
      expect(loaded).toContain(`functions/${fn}/index.ts`);
      expect(loaded.filter((f) => LAZY.some((re) => re.test(f)))).toEqual([]);
    },
  );
});
