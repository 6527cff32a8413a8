// Run after `tsc`: bundles the command line's modules (dist/cli/main.js and io.js, with every
// command as a chunk of its own) into dist/bundle/. Node 20 loads an ES module for about half a
// millisecond, and `podsec check` alone needs some seventy: bundled, they load in about 30 ms
// instead of 65. dist/ keeps the modules themselves (the library's entry point, and what the
// commands fall back to when the bundle is older than they are: see bin/load-cli.js).
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'bundle');

// A module finds its data files (rules, schemas, generated code) beside itself, through
// import.meta.url: in the bundle each module keeps the address it has in dist/.
const keepModuleAddresses = {
  name: 'keep-module-addresses',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async ({ path }) => {
      if (!path.startsWith(dist + sep)) return undefined;
      const source = await readFile(path, 'utf8');
      const address = relative(outdir, path).split(sep).join('/');
      return {
        contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(address)}, import.meta.url).href`),
        loader: 'js',
        resolveDir: dirname(path),
      };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { main: join(dist, 'cli', 'main.js'), io: join(dist, 'cli', 'io.js') },
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies stay in node_modules: most load only when needed.
  packages: 'external',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [keepModuleAddresses],
});
const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
console.log(`wrote ${relative(root, outdir)}/ (${outputs.length} files, ${Object.keys(result.metafile.inputs).length} modules)`);
