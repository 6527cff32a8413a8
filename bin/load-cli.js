// The command line's entry: the bundle that `npm run build` writes (it starts sooner), unless
// `tsc` rewrote dist/ after it, when the bundle would run older code than dist/ holds. (tsc
// rewrites every module it emits; npm pack gives all files one time, which counts as current.)
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const dist = new URL('../dist/', import.meta.url);
export const bundleFile = fileURLToPath(new URL('bundle/cli.cjs', dist));
/** V8's compiled code of the bundle's functions, saved by the build (scripts/code-cache.js). */
export const codeCacheFile = `${bundleFile}.codecache`;

function modified(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

export function bundleIsCurrent() {
  const bundle = modified(bundleFile);
  const modules = modified(fileURLToPath(new URL('cli/main.js', dist)));
  return bundle !== undefined && modules !== undefined && bundle >= modules;
}

/**
 * Runs the bundle as Node runs a CommonJS module, given the code cache when it was saved after
 * the bundle was written (V8 itself refuses one made for other source or by another V8).
 * `codeCache` says what became of it: `used`, `rejected` (by V8) or `none`.
 */
export function loadBundle() {
  const source = readFileSync(bundleFile, 'utf8');
  const cachedAt = modified(codeCacheFile);
  const cachedData = cachedAt !== undefined && cachedAt >= modified(bundleFile) ? readFileSync(codeCacheFile) : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, importPackage) {${source}\n})`, { filename: bundleFile, cachedData });
  const module = { exports: {} };
  // The bundle's import() of a package, which a script cannot run itself (see bundle-cli.js).
  const importPackage = (name) => import(name);
  script.runInThisContext()(module.exports, createRequire(bundleFile), module, bundleFile, dirname(bundleFile), importPackage);
  const { main, processIO, saveCodeCaches } = module.exports;
  return {
    main,
    processIO,
    saveCodeCaches,
    codeCache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used',
    createCodeCache: () => script.createCachedData(),
  };
}

/** Whether Node was started with --enable-source-maps (not whether a tool turned them on since). */
function sourceMapsAsked() {
  // NODE_OPTIONS may quote an option ("--enable-source-maps").
  const fromEnv = (process.env.NODE_OPTIONS ?? '').split(/\s+/).map((option) => option.replace(/^"(.*)"$/, '$1'));
  return [...process.execArgv, ...fromEnv].includes('--enable-source-maps');
}

/**
 * Throws ERR_MODULE_NOT_FOUND when podsec was never built. With --enable-source-maps the modules
 * run, as Node maps no stack trace of a vm script: an internal error then names the .ts lines.
 */
export async function loadCli() {
  if (!sourceMapsAsked() && bundleIsCurrent()) {
    const { main, processIO } = loadBundle();
    return { main, processIO };
  }
  const [{ main }, { processIO }] = await Promise.all([import(new URL('cli/main.js', dist).href), import(new URL('cli/io.js', dist).href)]);
  return { main, processIO };
}
