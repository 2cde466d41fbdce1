import { statSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Child process of the cold-start bench: imports one module (a file path or a package name) in a
 * fresh Node process and prints one JSON line. `time` measures the import alone; `files` records
 * every file the import resolves (ESM and CommonJS alike, through synchronous module hooks, which
 * slow loading and so are never on during `time`) and sums their sizes.
 */
const [target, mode] = process.argv.slice(2);
if (!target || (mode !== 'time' && mode !== 'files')) {
  throw new Error('usage: load-module.ts <file path or package> <time|files>');
}
const specifier = target.startsWith('/') ? pathToFileURL(target).href : target;

const files = new Set<string>();
if (mode === 'files') {
  registerHooks({
    resolve(spec, context, nextResolve) {
      const resolved = nextResolve(spec, context);
      if (resolved.url.startsWith('file:')) files.add(resolved.url);
      return resolved;
    },
  });
}

const start = performance.now();
await import(specifier);
const ms = performance.now() - start;

if (mode === 'time') {
  process.stdout.write(`${JSON.stringify({ ms })}\n`);
} else {
  let bytes = 0;
  for (const url of files) bytes += statSync(fileURLToPath(url)).size;
  process.stdout.write(`${JSON.stringify({ files: files.size, bytes })}\n`);
}
process.exit(0);
