import { registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

/*
 * Run as a script: imports one module in this fresh process and prints, one per line, every file the
 * import loaded (relative to the project for its own files, `pkg:<name>` for a package).
 */
const loaded = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(resolved.url);
    if (pkg) loaded.add(`pkg:${pkg[1]}`);
    else if (resolved.url.startsWith('file:'))
      loaded.add(resolved.url.replace(/^.*?\/(shared|functions)\//, '$1/'));
    return resolved;
  },
});
await import(pathToFileURL(process.argv[2] ?? '').href);
process.stdout.write([...loaded].sort().join('\n'));
