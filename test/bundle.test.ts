/**
 * The command line runs from dist/bundle/ (written by `npm run build`), and from dist/'s own
 * modules when tsc rewrote them after the bundle was made.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import { ensureBuilt, projectRoot as root } from './helpers/shared.js';
import { makeSelfSignedCert } from '../webhook/testing/certs.js';
import { FakeApiServer } from '../webhook/testing/fake-apiserver.js';
import { podReview } from '../webhook/testing/reviews.js';
import { requestLocal } from './helpers/server.js';

ensureBuilt();

const dist = pathToFileURL(join(root, 'dist')).href + '/';

/**
 * Hooks that log every file podsec loads: a module hook (for node --import) writes each ES module's
 * address, and a preload (for node --require) each file the bundle's `require` loads, after `<`.
 */
function loadLog(dir: string): { log: string; flags: string[] } {
  const log = join(dir, 'loaded.txt');
  writeFileSync(
    join(dir, 'hook.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}
`,
  );
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});\n`);
  writeFileSync(
    join(dir, 'preload.cjs'),
    `const { appendFileSync } = require('node:fs');
const Module = require('node:module');
const { pathToFileURL } = require('node:url');
const load = Module.prototype.require;
Module.prototype.require = function (id) {
  const loaded = load.call(this, id);
  const file = Module._resolveFilename(id, this);
  appendFileSync(${JSON.stringify(log)}, (file.startsWith('node:') ? file : pathToFileURL(file).href) + ' < ' + pathToFileURL(this.filename).href + '\\n');
  return loaded;
};
`,
  );
  return { log, flags: ['--require', join(dir, 'preload.cjs'), '--import', join(dir, 'register.mjs')] };
}

/** Started from the bundle, and loaded no module of dist/ besides it: only data and generated tables. */
function assertBundleOnly(t: Test, log: string, what: string): void {
  const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  t.ok(lines.some((l) => l.endsWith(` < ${dist}bundle/cli.cjs`)), `${what}: started from the bundle`);
  const own = lines.map((l) => l.split(' < ')[0]!).filter((url) => url.startsWith(dist));
  t.same(own.filter((url) => !/\.(cjs|json)$/.test(url)), [], `${what}: no module of dist/ besides the bundle`);
}

/** A scratch copy of podsec's bin/ beside an empty dist/bundle/, for stand-in modules; removed after the test. */
function scratchInstall(t: Test, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
  mkdirSync(join(dir, 'bin'));
  for (const name of readdirSync(join(root, 'bin'))) copyFileSync(join(root, 'bin', name), join(dir, 'bin', name));
  mkdirSync(join(dir, 'dist', 'bundle'), { recursive: true });
  return dir;
}

t.test('after a build the bundle is current, so the tests of the command run it', async (t) => {
  const { bundleIsCurrent } = (await import(pathToFileURL(join(root, 'bin', 'load-cli.js')).href)) as { bundleIsCurrent: () => boolean };
  t.equal(bundleIsCurrent(), true);
});

t.test("the build saved V8's code cache of the bundle, and a run uses it", async (t) => {
  const { loadBundle } = (await import(pathToFileURL(join(root, 'bin', 'load-cli.js')).href)) as { loadBundle: () => { codeCache: string } };
  t.equal(loadBundle().codeCache, 'used');
});

t.test('the bundle runs when it is as new as dist/, the modules when tsc wrote them later', async (t) => {
  const dir = scratchInstall(t, 'podsec-bundle-');
  // Stand-ins that say which of the two was loaded.
  mkdirSync(join(dir, 'dist', 'cli'));
  writeFileSync(join(dir, 'dist', 'cli', 'main.js'), 'export async function main() { process.stdout.write("cli"); return 0; }\n');
  writeFileSync(join(dir, 'dist', 'cli', 'io.js'), 'export function processIO() { return {}; }\n');
  writeFileSync(join(dir, 'dist', 'bundle', 'cli.cjs'), 'exports.main = async () => { process.stdout.write("bundle"); return 0; };\nexports.processIO = () => ({});\n');
  const loaded = () => spawnSync(process.execPath, [join(dir, 'bin', 'podsec.js'), '--help'], { encoding: 'utf8' }).stdout;
  const cliMain = join(dir, 'dist', 'cli', 'main.js');
  const bundleMain = join(dir, 'dist', 'bundle', 'cli.cjs');
  utimesSync(cliMain, 1000, 1000);
  utimesSync(bundleMain, 2000, 2000);
  t.equal(loaded(), 'bundle', 'bundle written after tsc');
  utimesSync(bundleMain, 1000, 1000);
  t.equal(loaded(), 'bundle', 'the same time (npm pack gives every file one time)');
  const mapped = spawnSync(process.execPath, ['--enable-source-maps', join(dir, 'bin', 'podsec.js'), '--help'], { encoding: 'utf8' }).stdout;
  t.equal(mapped, 'cli', 'with --enable-source-maps: stack traces of the modules are mapped, those of the bundle are not');
  const viaEnv = spawnSync(process.execPath, [join(dir, 'bin', 'podsec.js'), '--help'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--enable-source-maps' } }).stdout;
  t.equal(viaEnv, 'cli', 'the same, asked in NODE_OPTIONS');
  utimesSync(cliMain, 3000, 3000);
  t.equal(loaded(), 'cli', 'tsc ran after the bundle was made');
  rmSync(join(dir, 'dist', 'bundle'), { recursive: true });
  t.equal(loaded(), 'cli', 'no bundle');
});

t.test('the code cache is used when saved after the bundle was written, and as far as V8 accepts it', async (t) => {
  const dir = scratchInstall(t, 'podsec-code-cache-');
  const bundle = join(dir, 'dist', 'bundle', 'cli.cjs');
  const cache = `${bundle}.codecache`;
  const standIn = (answer: number) => `exports.main = async () => ${answer};\nexports.processIO = () => ({});\n`;
  writeFileSync(bundle, standIn(7));
  // Each case in a process of its own, as a command runs: prints what became of the cache and main's answer.
  const loader = JSON.stringify(pathToFileURL(join(dir, 'bin', 'load-cli.js')).href);
  const run = (then = '') => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { writeFileSync } from 'node:fs'; import { loadBundle } from ${loader}; const b = loadBundle(); console.log(b.codeCache, await b.main()); ${then}`], { encoding: 'utf8' });
    t.equal(r.stderr, '', 'nothing on stderr');
    return r.stdout.trim();
  };
  t.equal(run(`writeFileSync(${JSON.stringify(cache)}, b.createCodeCache());`), 'none 7', 'no cache yet');
  utimesSync(bundle, 1000, 1000);
  utimesSync(cache, 2000, 2000);
  t.equal(run(), 'used 7', 'saved after the bundle');
  utimesSync(cache, 1000, 1000);
  t.equal(run(), 'used 7', 'the same time (npm pack)');
  utimesSync(bundle, 3000, 3000);
  t.equal(run(), 'none 7', 'the bundle was written after the cache: not read');
  writeFileSync(bundle, standIn(12345));
  utimesSync(cache, Date.now() / 1000 + 60, Date.now() / 1000 + 60);
  t.equal(run(), 'rejected 12345', 'a cache of other code: V8 refuses it, the bundle runs');
  writeFileSync(cache, Buffer.alloc(4096, 0x5a));
  t.equal(run(), 'rejected 12345', 'not a code cache at all');
});

t.test("every module of podsec's own that a command loads comes from the bundle", async (t) => {
  // A second copy of a module (a dynamic import the bundler could not follow) would have its own state.
  const dir = mkdtempSync(join(tmpdir(), 'podsec-bundle-loads-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { log, flags } = loadLog(dir);
  const commands = [
    ['check', 'examples/'],
    ['check', '--format', 'json', 'examples/'],
    ['check', '--format', 'sarif', 'examples/'],
    ['check', '--format', 'github', 'examples/'],
    ['check', '--format', 'junit', 'examples/'],
    ['rules', '--level', 'baseline', '--version', 'v1.25'],
    ['explain', 'privileged'],
    ['test', 'test/cases'],
    ['serve', '--help'],
    ['--version'],
  ];
  for (const args of commands) {
    writeFileSync(log, '');
    const r = spawnSync(process.execPath, [...flags, join(root, 'bin', 'podsec.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    t.ok(r.status === 0 || r.status === 1, `podsec ${args.join(' ')} ran (exit ${r.status}) ${r.stderr.slice(0, 300)}`);
    assertBundleOnly(t, log, `podsec ${args.join(' ')}`);
  }
});

t.test("a check loads none of Node's modules it does not use: no ES module loader, network, perf_hooks, stdin or crypto", async (t) => {
  // Each of these costs a run some milliseconds of start-up (measured: net 4 ms, an ES module entry
  // 10 ms, crypto 5-8 ms). crypto is loaded only to hash a generated file's inputs when their
  // stamps differ from the build's (engine/stamps.ts): after a build they hold.
  const dir = mkdtempSync(join(tmpdir(), 'podsec-builtins-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const list = join(dir, 'modules.txt');
  writeFileSync(join(dir, 'preload.cjs'), `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`);
  // Without the test runner's NODE_OPTIONS, whose hooks start the ES module loader themselves.
  const env = { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1' };
  const modulesOf = (args: string[]): string[] => {
    // The report to a file, as `> report.txt` does: a pipe would be set up with Node's net module.
    const out = openSync(join(dir, 'out.txt'), 'w');
    const r = spawnSync(process.execPath, ['--require', join(dir, 'preload.cjs'), ...args], { cwd: root, encoding: 'utf8', env, stdio: ['ignore', out, 'pipe'] });
    closeSync(out);
    t.equal(r.status, args.length > 1 ? 1 : 0, `node ${args.join(' ')} ran ${r.stderr.slice(0, 300)}`);
    return readFileSync(list, 'utf8').split('\n');
  };
  // What Node loads for any script: those are not the command's doing.
  writeFileSync(join(dir, 'empty.cjs'), '');
  const always = new Set(modulesOf([join(dir, 'empty.cjs')]));
  const loaded = modulesOf([join(root, 'bin', 'podsec.js'), 'check', 'examples/']).filter((m) => !always.has(m));
  t.ok(loaded.includes('NativeModule vm'), 'the list is of the modules the command loaded (the bundle runs in a vm script)');
  const unwanted = loaded.filter((m) => /^NativeModule (net|perf_hooks|readline|internal\/readline\/.*|internal\/fs\/promises|internal\/modules\/esm\/.*|tty|http|https|tls|child_process|worker_threads|crypto|internal\/crypto\/.*)$/.test(m));
  t.same(unwanted, [], 'none of them');
});

t.test('podsec serve from the bundle answers an admission review', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-bundle-serve-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { log, flags } = loadLog(dir);
  writeFileSync(log, '');
  const cert = makeSelfSignedCert(dir);
  const apiCert = makeSelfSignedCert(dir, 'api');
  const api = new FakeApiServer({ tls: { cert: apiCert.cert, key: readFileSync(apiCert.keyFile) } });
  api.setNamespace('apps');
  await api.start();
  t.teardown(() => api.stop());
  const kubeconfig = join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig);
  const args = ['serve', '--tls-cert-file', cert.certFile, '--tls-private-key-file', cert.keyFile, '--bind-address', '127.0.0.1', '--secure-port', '0', '--kubeconfig', kubeconfig];
  const child = spawn(process.execPath, [...flags, join(root, 'bin', 'podsec.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      stderr += c;
      const serving = /"msg":"podsec webhook serving"[^\n]*"port":(\d+)/.exec(stderr);
      if (serving) resolve(Number(serving[1]));
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  const review = (body: string) => requestLocal(port, cert.cert, '/', body);
  api.setNamespace('apps', { 'pod-security.kubernetes.io/enforce': 'baseline' });
  let answer = { status: 0, body: '' };
  // The namespace cache syncs after start-up: until then the answer may not see the label yet.
  for (let i = 0; i < 100; i++) {
    answer = await review(JSON.stringify(podReview('apps', 'p', { hostPID: true, containers: [{ name: 'c', image: 'nginx' }] })));
    if (answer.status === 200 && JSON.parse(answer.body).response.allowed === false) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  t.equal(answer.status, 200);
  t.match(JSON.parse(answer.body).response, { allowed: false, status: { message: 'pods "p" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostPID=true)' } });
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  assertBundleOnly(t, log, 'podsec serve');
});
