// `npm run bench`: every benchmark, one after the other, each in its own process.
// `npm run bench -- engine` runs only the named ones.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = ['engine', 'read-manifests', 'read-hostile', 'check-large', 'webhook-load'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
// The benchmarks time the built code in dist/.
if (!existsSync(join(here, '..', 'dist', 'cli', 'main.js'))) {
  console.error('podsec is not built: run "npm run build" (npm ci builds it too), then the benchmarks');
  process.exit(2);
}
let failed = false;
for (const name of wanted.length ? wanted : all) {
  const file = join(here, `${name}.js`);
  if (!existsSync(file)) {
    console.error(`no benchmark ${name} (bench/${name}.js)`);
    failed = true;
    continue;
  }
  console.log(`\n== ${name}`);
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
