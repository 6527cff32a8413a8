// The command line's entry: the bundle that `npm run build` writes (it starts sooner), unless
// `tsc` rewrote dist/ after it, when the bundle would run older code than dist/ holds. (tsc
// rewrites every module it emits; npm pack gives all files one time, which counts as current.)
// CommonJS (bin/package.json): an ES module entry costs Node 20 some milliseconds of start-up for
// its module loader, which the bundle does not need.
'use strict';
const { readFileSync, statSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const dist = join(__dirname, '..', 'dist');
const bundleFile = join(dist, 'bundle', 'cli.cjs');
/** V8's compiled code of the bundle's functions, saved by the build (scripts/code-cache.js). */
const codeCacheFile = `${bundleFile}.codecache`;

function modified(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function bundleIsCurrent() {
  const bundle = modified(bundleFile);
  const modules = modified(join(dist, 'cli', 'main.js'));
  return bundle !== undefined && modules !== undefined && bundle >= modules;
}

/**
 * Runs the bundle as Node runs a CommonJS module, given the code cache when it was saved after
 * the bundle was written (V8 itself refuses one made for other source or by another V8).
 * `codeCache` says what became of it: `used`, `rejected` (by V8) or `none`.
 */
function loadBundle() {
  const source = readFileSync(bundleFile, 'utf8');
  const cachedAt = modified(codeCacheFile);
  const cachedData = cachedAt !== undefined && cachedAt >= modified(bundleFile) ? readFileSync(codeCacheFile) : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, importPackage) {${source}\n})`, { filename: bundleFile, cachedData });
  const module = { exports: {} };
  // The bundle's import() of a package, which a script cannot run itself (see bundle-cli.js).
  const importPackage = (name) => import(name);
  script.runInThisContext()(module.exports, createRequire(bundleFile), module, bundleFile, dirname(bundleFile), importPackage);
  const { main, processIO, saveCodeCaches, runCheck } = module.exports;
  return {
    main,
    processIO,
    saveCodeCaches,
    runCheck,
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
 * Rejects with ERR_MODULE_NOT_FOUND when podsec was never built. With --enable-source-maps the
 * modules run, as Node maps no stack trace of a vm script: an internal error then names the .ts lines.
 */
async function loadCli() {
  if (!sourceMapsAsked() && bundleIsCurrent()) {
    const { main, processIO } = loadBundle();
    return { main, processIO };
  }
  const [{ main }, { processIO }] = await Promise.all([import(pathToFileURL(join(dist, 'cli', 'main.js')).href), import(pathToFileURL(join(dist, 'cli', 'io.js')).href)]);
  return { main, processIO };
}

/** The message for a podsec that was never built: what is missing, and what to run. */
function notBuiltMessage(err, command) {
  const missing = String(err.message).split('\n')[0].replace(/ imported from .*/, '');
  return `${command}: cannot start: ${missing}; run "npm ci" (which also builds) or "npm run build" in ${join(__dirname, '..')}\n`;
}

module.exports = { bundleFile, codeCacheFile, bundleIsCurrent, loadBundle, loadCli, notBuiltMessage };
