// Run by bundle-cli.js, in a process of its own: runs the bundle's commands on the examples as a
// user would, then saves V8's code cache of every function compiled so far beside the bundle, and
// beside each generated module loaded. A run then skips compiling them (bin/load-cli.js,
// engine/code-cache.ts).
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeCacheFile, loadBundle } from '../bin/load-cli.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(codeCacheFile, { force: true });
const cli = loadBundle();
const sink = { write: () => true };
const io = { stdout: sink, stderr: sink, stdin: (async function* () {})(), env: {}, isTTY: false, cwd: root };
const runs = [
  ...['text', 'json', 'sarif', 'github', 'junit'].map((format) => ['check', '--format', format, 'examples']),
  ['rules'],
  ['explain', 'privileged'],
  ['--help'],
];
for (const argv of runs) {
  const code = await cli.main(argv, io);
  if (code > 1) throw new Error(`podsec ${argv.join(' ')} exited ${code}`);
}
const temporary = `${codeCacheFile}.${process.pid}`;
writeFileSync(temporary, cli.createCodeCache());
// Renamed into place: a run never reads half a cache.
renameSync(temporary, codeCacheFile);
// And the generated modules the commands loaded (compiled tables), each beside its module.
for (const file of [codeCacheFile, ...cli.saveCodeCaches()]) console.log(`wrote ${file.slice(root.length + 1)}`);
