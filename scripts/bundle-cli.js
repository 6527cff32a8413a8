// Run after `tsc`: bundles the command line's modules (dist/cli/main.js and io.js) into one
// CommonJS file, dist/bundle/cli.cjs, then has a fresh process run it on the examples and save
// V8's code cache of what that compiled (scripts/code-cache.js). Node 20 loads an ES module for
// about half a millisecond, and `podsec check` needs some seventy; and it keeps no compiled code
// between runs of ES modules, while a script given its code cache starts without compiling what
// the cache holds. dist/ keeps the modules themselves (the library's entry point, and what the
// commands fall back to when the bundle is older than they are: see bin/load-cli.js).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'bundle');

// Node 20 runs no import() in a script compiled with a code cache (nor, without a flag, in any
// vm script), so a package imported when needed (the client library, which only the webhook
// loads) is imported by the loader for the bundle: bin/load-cli.js passes importPackage.
const PACKAGE_IMPORT = /\bimport\((["'])([^."'][^"']*)\1\)/g;

// A module finds its data files (rules, schemas, generated code) beside itself, through
// import.meta.url: in the bundle each module keeps the address it has in dist/.
const keepModuleAddresses = {
  name: 'keep-module-addresses',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async ({ path }) => {
      if (!path.startsWith(dist + sep)) return undefined;
      const source = await readFile(path, 'utf8');
      const address = relative(outdir, path).split(sep).join('/');
      const contents = source
        .replaceAll('import.meta.url', `new URL(${JSON.stringify(address)}, require("node:url").pathToFileURL(__filename)).href`)
        .replace(PACKAGE_IMPORT, 'importPackage($1$2$1)');
      return {
        contents,
        loader: 'js',
        resolveDir: dirname(path),
      };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  stdin: {
    // saveCodeCaches: for scripts/code-cache.js, the bundle's own record of the generated modules it
    // ran; runCheck: `podsec check` with its timings, for bench/check-large.js to time what users run.
    contents:
      "export { main } from './main.js';\nexport { processIO } from './io.js';\nexport { saveCodeCaches } from '../engine/code-cache.js';\nexport { run as runCheck } from './commands/check.js';\n",
    resolveDir: join(dist, 'cli'),
    sourcefile: 'cli-entry.js',
  },
  outfile: join(outdir, 'cli.cjs'),
  bundle: true,
  format: 'cjs',
  // ES modules are strict code; the bundle keeps them so.
  banner: { js: '"use strict";' },
  platform: 'node',
  target: 'node20',
  // Dependencies stay in node_modules: most load only when needed.
  packages: 'external',
  metafile: true,
  logLevel: 'warning',
  plugins: [keepModuleAddresses],
});
const text = await readFile(join(outdir, 'cli.cjs'), 'utf8');
const imports = [...text.matchAll(/\bimport\(\s*[^)]*\)/g)].map((m) => m[0]);
if (imports.length) throw new Error(`the bundle would fail at run time on: ${imports.join(', ')}`);

// One character past ASCII makes V8 hold a whole script as two-byte text: twice the memory, and
// slower to read, to compile and to check against its code cache. esbuild escapes the strings it
// writes, not comments or regular expressions; the build's generated modules are checked too.
const generated = ['admission', 'engine'].flatMap((sub) => readdirSync(join(dist, sub)).filter((f) => f.endsWith('.cjs')).map((f) => join(dist, sub, f)));
const wide = [];
for (const [file, source] of [[join(outdir, 'cli.cjs'), text], ...generated.map((f) => [f, readFileSync(f, 'utf8')])]) {
  let module = relative(root, file);
  source.split('\n').forEach((line, i) => {
    // esbuild heads each module's code with its path.
    if (/^\/\/ dist\/\S+\.js$/.test(line)) module = line.slice(3);
    const at = line.search(/[^\x00-\x7f]/);
    if (at >= 0) wide.push(`${relative(root, file)}:${i + 1} (from ${module}): U+${line.codePointAt(at).toString(16).toUpperCase().padStart(4, '0')} in ${JSON.stringify(line.trim().slice(0, 120))}`);
  });
}
if (wide.length) throw new Error(`characters past ASCII, to be written as escapes (\\u00b5) or left out of comments:\n${wide.join('\n')}`);
console.log(`wrote ${relative(root, outdir)}/cli.cjs (${Object.keys(result.metafile.inputs).length} modules)`);

const trained = spawnSync(process.execPath, [join(root, 'scripts', 'code-cache.js')], { stdio: 'inherit' });
if (trained.status !== 0) throw new Error(`scripts/code-cache.js failed (exit ${trained.status ?? trained.signal})`);
