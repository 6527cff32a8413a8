// `podsec serve` as a process: flags, start-up errors, readiness, and a graceful SIGTERM.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parseServeFlags, runServe, SERVE_HELP } from '../webhook/serve.js';
import { MAX_REQUEST_BYTES } from '../webhook/server.js';
import { makeSelfSignedCert } from '../webhook/testing/certs.js';
import { FakeApiServer } from '../webhook/testing/fake-apiserver.js';
import { namespaceReview } from '../webhook/testing/reviews.js';
import { requestLocal } from './helpers/server.js';

const dir = mkdtempSync(join(tmpdir(), 'podsec-serve-'));
const cert = makeSelfSignedCert(dir);
const rsaKeyFile = join(dir, 'rsa.key');
writeFileSync(rsaKeyFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
const P = 'pod-security.kubernetes.io/';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await runServe(args, { stdout, stderr });
  return { code, out, err };
}

t.test('help documents every flag', async (t) => {
  const r = await run(['--help']);
  t.equal(r.code, 0);
  for (const f of ['--tls-cert-file', '--tls-private-key-file', '--bind-address', '--secure-port', '--kubeconfig', '--config', '--tls-min-version', '--client-qps-limit', '--client-qps-burst', '--log-level']) {
    t.match(r.out, f);
  }
  t.equal(r.out, SERVE_HELP);
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  for (const m of SERVE_HELP.matchAll(/^\s+(--[a-z-]+)/gm)) t.match(readme, `| \`${m[1]}\``, `the README's flag table has ${m[1]}`);
});

t.test("the defaults the help and the README's flag table give are the parser's", async (t) => {
  const base = ['--tls-cert-file', 'c', '--tls-private-key-file', 'k'];
  const defaults = parseServeFlags(base);
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const given = [...readme.matchAll(/^\| `--([a-z-]+)` \| `([^`]+)` \|/gm)].map((m) => ['README', m[1]!, m[2]!]);
  // A flag's entry in the help runs to the next flag; its default may be on a later line.
  for (const entry of SERVE_HELP.split(/\n(?=  --)/)) {
    const m = /^ {2}--([a-z-]+)[\s\S]*?\(default ([^\s:;)]+)/.exec(entry);
    if (m) given.push(['help', m[1]!, m[2]!]);
  }
  t.ok(given.length >= 16, given.map((g) => g.join(' ')).join(', '));
  for (const [where, flag, value] of given) t.same(parseServeFlags([...base, `--${flag}=${value}`]), defaults, `${where}: --${flag} ${value}`);
});

t.test('docs/webhook.md gives the request size limit the server has', async (t) => {
  const doc = readFileSync(fileURLToPath(new URL('../docs/webhook.md', import.meta.url)), 'utf8');
  const quoted = [...doc.matchAll(/(\d+) MiB/g)].map((m) => Number(m[1]));
  t.ok(quoted.length >= 2);
  for (const mib of quoted) t.equal(mib * 2 ** 20, MAX_REQUEST_BYTES);
  t.match(SERVE_HELP, `under ${MAX_REQUEST_BYTES / 2 ** 20} MiB`);
});

t.test('flag parsing', async (t) => {
  const f = parseServeFlags(['--tls-cert-file', 'c', '--tls-private-key-file=k', '--secure-port=9443', '--tls-min-version=VersionTLS13', '--client-qps-limit', '5.5']);
  t.match(f, { certFile: 'c', keyFile: 'k', port: 9443, minTLSVersion: 'TLSv1.3', qps: 5.5, burst: 50, bindAddress: '0.0.0.0', logLevel: 'info' });
  // client-go's meanings: 0 is its default, a negative rate no limit.
  const zero = parseServeFlags(['--tls-cert-file', 'c', '--tls-private-key-file=k', '--client-qps-limit=0', '--client-qps-burst=0']);
  t.match(zero, { qps: 5, burst: 10 });
  t.ok(parseServeFlags(['--tls-cert-file', 'c', '--tls-private-key-file=k', '--client-qps-limit=-1']).qps < 0);
  t.throws(() => parseServeFlags(['--tls-cert-file', 'c', '--tls-private-key-file=k', '--client-qps-burst=-1']), /--client-qps-burst=-1: must be an integer from 0 to 100000/);
  // An address, said at once with the flag's name (not when listening fails, after the kubeconfig).
  for (const bad of ['1.2.3', 'example.com', '']) {
    t.throws(() => parseServeFlags(['--tls-cert-file', 'c', '--tls-private-key-file=k', `--bind-address=${bad}`]), { message: `--bind-address=${bad}: not an IP address; give one such as 0.0.0.0, 127.0.0.1 or ::` });
  }
  t.match(parseServeFlags(['--tls-cert-file', 'c', '--tls-private-key-file=k', '--bind-address=[::1]']), { bindAddress: '::1' });
  t.throws(() => parseServeFlags(['--tls-cert-file', 'c', '--tls-private-key-file=k', '--reload-interval=10ms']), { message: '--reload-interval=10ms: at least 50ms, as files are polled that often at most' });
});

t.test('start-up errors exit 2 with one line', async (t) => {
  const base = ['--tls-cert-file', cert.certFile, '--tls-private-key-file', cert.keyFile];
  const emptyFile = join(dir, 'empty.pem');
  writeFileSync(emptyFile, '');
  const cases: [string[], RegExp][] = [
    [['--bogus'], /unknown flag --bogus; see podsec serve --help/],
    [['--secure-prot=9443'], /unknown flag --secure-prot; did you mean --secure-port\? see podsec serve --help/],
    // --help given a value is no unknown flag to which --help is nearest.
    [['--help=yes'], /^podsec serve: flag --help takes no value; see podsec serve --help\n$/],
    [['--tls-private-key-file', cert.keyFile], /--tls-cert-file is required/],
    [['--tls-cert-file', join(dir, 'nope.crt'), '--tls-private-key-file', cert.keyFile], /certificate file .*nope\.crt does not exist; check --tls-cert-file/],
    [['--tls-cert-file', cert.keyFile, '--tls-private-key-file', cert.keyFile], /cannot use .* with .*: .*webhook\.key holds no PEM certificate \(no -----BEGIN CERTIFICATE----- line\); pass a PEM certificate and its private key/],
    [['--tls-cert-file', cert.keyFile, '--tls-private-key-file', cert.certFile], /: .*webhook\.key holds a private key and .*webhook\.crt a certificate: the two files look swapped;/],
    [['--tls-cert-file', cert.certFile, '--tls-private-key-file', cert.certFile], /: .*webhook\.crt holds no PEM private key \(it holds a certificate\);/],
    [['--tls-cert-file', emptyFile, '--tls-private-key-file', cert.keyFile], /: .*empty\.pem holds no PEM certificate \(the file is empty\);/],
    // A key of another type than the certificate's: OpenSSL takes it, and no handshake works.
    [['--tls-cert-file', cert.certFile, '--tls-private-key-file', rsaKeyFile], /cannot use .* with .*rsa\.key: the private key in .*rsa\.key does not belong to the certificate in .*webhook\.crt; pass the key the certificate was made for/],
    [[...base, '--secure-port', 'x'], /--secure-port=x: must be an integer from 0 to 65535/],
    [[...base, '--tls-min-version', 'VersionTLS11'], /TLS below 1\.2 is not supported/],
    [[...base, '--log-level', 'loud'], /--log-level=loud: must be one of debug, info, warn, error/],
    [[...base, '--config', join(dir, 'missing.yaml')], /configuration file .*missing\.yaml does not exist; check --config/],
    [[...base, '--kubeconfig', join(dir, 'nokube')], /cannot load Kubernetes client configuration: kubeconfig .* does not exist/],
  ];
  const brokenKube = join(dir, 'broken-kubeconfig');
  writeFileSync(brokenKube, '{"apiVersion": "v1",');
  cases.push([[...base, '--kubeconfig', brokenKube], /cannot load Kubernetes client configuration: kubeconfig .*broken-kubeconfig cannot be read: .*; fix it, or pass another with --kubeconfig/]);
  const invalid = join(dir, 'invalid.yaml');
  writeFileSync(invalid, 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults: {enforce: strict}\n');
  cases.push([[...base, '--config', invalid], /invalid configuration file .*invalid\.yaml:\d+:\d+: defaults\.enforce: Invalid value: "strict"/]);
  if (process.getuid?.() !== 0) {
    const unreadable = join(dir, 'unreadable.yaml');
    writeFileSync(unreadable, '');
    chmodSync(unreadable, 0o000);
    cases.push([[...base, '--config', unreadable], /is not readable; check --config/]);
  }
  for (const [args, re] of cases) {
    const r = await run(args);
    t.equal(r.code, 2, args.join(' '));
    t.match(r.err, re);
    t.equal(r.err.trim().split('\n').length, 1, 'one line');
    t.match(r.err, /^podsec serve: /);
  }
});

t.test('serving, readiness and graceful SIGTERM', async (t) => {
  const apiCert = makeSelfSignedCert(dir, 'api');
  const api = new FakeApiServer({ tls: { cert: apiCert.cert, key: readFileSync(apiCert.keyFile) } });
  api.setNamespace('apps');
  api.addPod('apps', { metadata: { name: 'a' }, spec: { hostPID: true, containers: [] } });
  await api.start();
  t.teardown(() => api.stop());
  const kubeconfig = join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig);

  const main = fileURLToPath(new URL('../webhook/main.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    [...process.execArgv, main, '--tls-cert-file', cert.certFile, '--tls-private-key-file', cert.keyFile, '--bind-address', '127.0.0.1', '--secure-port', '0', '--kubeconfig', kubeconfig, '--shutdown-timeout', '10s'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  const lines: any[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      stderr += c;
      for (const l of c.split('\n').filter(Boolean)) {
        try {
          const j = JSON.parse(l);
          lines.push(j);
          if (j.msg === 'podsec webhook serving') resolve(j.port);
        } catch {
          /* partial line */
        }
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const request = (path: string, body?: string) => requestLocal(port, cert.cert, path, body);

  for (let i = 0; i < 100; i++) {
    if ((await request('/readyz')).status === 200) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  t.equal((await request('/readyz')).status, 200, 'ready after the namespace cache synced');

  // A request still in flight when SIGTERM arrives must complete.
  api.podListDelayMs = 600;
  const inFlight = request('/', JSON.stringify(namespaceReview('apps', { [`${P}enforce`]: 'baseline' }, {})));
  await new Promise((r) => setTimeout(r, 150));
  child.kill('SIGTERM');
  const answered = await inFlight;
  t.equal(answered.status, 200);
  t.same(JSON.parse(answered.body).response.warnings, ['existing pods in namespace "apps" violate the new PodSecurity enforce level "baseline:latest"', 'a: host namespaces']);
  t.equal(await exited, 0, 'exit 0 after draining');
  await t.rejects(request('/healthz'), 'no longer accepting connections');
  t.ok(lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM'));
  t.ok(lines.some((l) => l.msg === 'stopped'));
});
