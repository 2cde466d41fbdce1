import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { formatReport } from './print-report.ts';
import { FULL_PLAN, QUICK_PLAN, runBenches } from './run-benches.ts';

// `npm run bench [-- --quick]`: runs every benchmark, prints the table, writes bench/results/latest.json.
const quick = process.argv.includes('--quick');
const result = await runBenches(quick ? QUICK_PLAN : FULL_PLAN, (line) => process.stderr.write(`${line}\n`));
const dir = fileURLToPath(new URL('./results/', import.meta.url));
await mkdir(dir, { recursive: true });
await writeFile(`${dir}latest.json`, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${formatReport(result)}\n\nWrote bench/results/latest.json\n`);
