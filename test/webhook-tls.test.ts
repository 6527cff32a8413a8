// TLS flags over real HTTPS: cipher suites, --cert-dir, SNI certificates, and certificate
// changes picked up from directory change events without a restart.
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import t from 'tap';
import { parseServeFlags, runServe } from '../webhook/serve.js';
import { startServer, type ServerOptions } from '../webhook/server.js';
import { createLogger } from '../webhook/log.js';
import { makeSelfSignedCert } from '../webhook/testing/certs.js';
import { localServerOptions } from './helpers/server.js';
import { buildSniMap, certificateNames, lookupSni, openSSLCiphers, parseNamedCertKey } from '../webhook/tlsopts.js';
import { PassThrough } from 'node:stream';

const dir = mkdtempSync(join(tmpdir(), 'podsec-tls-'));
const main = makeSelfSignedCert(dir, 'main');
const other = makeSelfSignedCert(dir, 'other', 'other');
const named = makeSelfSignedCert(dir, 'named', 'api.example.com', 'DNS:api.example.com,DNS:*.apps.example.com,IP:10.0.0.1');
const fp = (pem: Buffer) => new X509Certificate(pem).fingerprint256;

function base(extra: Partial<ServerOptions>): ServerOptions {
  return localServerOptions(main, { reloadIntervalMs: 600_000, ...extra });
}

interface Handshake {
  fingerprint?: string;
  cipher?: string;
  version?: string;
  error?: string;
}

function handshake(port: number, options: tls.ConnectionOptions = {}): Promise<Handshake> {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options }, () => {
      const r = { fingerprint: s.getPeerCertificate().fingerprint256, cipher: s.getCipher().name, version: s.getProtocol() ?? undefined };
      s.end();
      resolve(r);
    });
    s.on('error', (e) => resolve({ error: e.message }));
  });
}

async function until(what: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await what()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

t.test('--tls-cipher-suites takes Go names and maps them to OpenSSL', async (t) => {
  t.equal(openSSLCiphers(['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305'], 'TLSv1.2'), 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256');
  t.equal(openSSLCiphers(['TLS_AES_128_GCM_SHA256'], 'TLSv1.3'), 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256', 'TLS 1.3 suites are accepted and change nothing');
  const flags = ['--tls-cert-file', 'c', '--tls-private-key-file', 'k'];
  t.same(parseServeFlags([...flags, '--tls-cipher-suites', ' TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 ,TLS_RSA_WITH_AES_128_CBC_SHA']).cipherSuites, ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA']);
  t.throws(() => parseServeFlags([...flags, '--tls-cipher-suites', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,ECDHE-RSA-AES128-SHA']), /--tls-cipher-suites: cipher suite ECDHE-RSA-AES128-SHA not supported or doesn't exist/);
  t.throws(() => parseServeFlags([...flags, '--tls-cipher-suites', 'TLS_AES_128_GCM_SHA256']), /names no TLS 1\.2 cipher suite/);
  t.throws(() => parseServeFlags([...flags, '--tls-cipher-suites', 'TLS_RSA_WITH_RC4_128_SHA']), /TLS_RSA_WITH_RC4_128_SHA \(OpenSSL RC4-SHA\) is not available/);

  const server = await startServer(base({ ciphers: openSSLCiphers(['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'], 'TLSv1.2') }));
  t.teardown(() => server.close(200));
  const tls12 = await handshake(server.port, { maxVersion: 'TLSv1.2' });
  t.equal(tls12.cipher, 'ECDHE-ECDSA-AES256-GCM-SHA384');
  const refused = await handshake(server.port, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
  t.ok(refused.error, 'a suite outside the list is refused');
  const tls13 = await handshake(server.port);
  t.equal(tls13.version, 'TLSv1.3', 'TLS 1.3 keeps its own suites');
  // Reloading the certificate must keep the cipher list.
  server.reload();
  t.ok((await handshake(server.port, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' })).error);
});

t.test('--tls-sni-cert-key: parsing and choosing a certificate by name', async (t) => {
  t.same(parseNamedCertKey('a.crt,a.key'), { certFile: 'a.crt', keyFile: 'a.key', names: [] });
  t.same(parseNamedCertKey(' a.crt , a.key : foo.com, *.foo.com '), { certFile: 'a.crt', keyFile: 'a.key', names: ['foo.com', '*.foo.com'] });
  t.throws(() => parseNamedCertKey('a.crt,a.key:'), /empty names list is not allowed/);
  t.throws(() => parseNamedCertKey('a.crt'), /expected comma separated certificate and key file paths/);
  t.throws(() => parseServeFlags(['--tls-cert-file', 'c', '--tls-private-key-file', 'k', '--tls-sni-cert-key', 'x']), /--tls-sni-cert-key=x: expected comma separated/);
  t.same(certificateNames(named.cert), ['api.example.com', 'api.example.com', '*.apps.example.com'], 'CN and DNS names, never IPs');
  t.same(certificateNames(makeSelfSignedCert(dir, 'ipcn', '10.1.2.3').cert), ['localhost'], 'an IP as CN is not a name');

  const copy = join(dir, 'sni');
  mkdirSync(copy);
  copyFileSync(other.certFile, join(copy, 'other.crt'));
  copyFileSync(other.keyFile, join(copy, 'other.key'));
  const server = await startServer(
    base({
      sniCertKeys: [
        { certFile: join(copy, 'other.crt'), keyFile: join(copy, 'other.key'), names: ['webhook.example.com', '*.wild.example.com'] },
        { certFile: named.certFile, keyFile: named.keyFile, names: [] },
        // Later pairs lose to earlier ones for the same name.
        { certFile: main.certFile, keyFile: main.keyFile, names: ['webhook.example.com'] },
      ],
    }),
  );
  t.teardown(() => server.close(200));
  const served = async (servername?: string) => (await handshake(server.port, servername ? { servername } : {})).fingerprint;
  t.equal(await served('webhook.example.com'), fp(other.cert), 'explicit name');
  t.equal(await served('WEBHOOK.example.com'), fp(other.cert), 'names are case-insensitive');
  t.equal(await served('a.wild.example.com'), fp(other.cert), 'explicit wildcard');
  t.equal(await served('api.example.com'), fp(named.cert), "the certificate's CN and DNS names");
  t.equal(await served('x.apps.example.com'), fp(named.cert), "the certificate's wildcard name");
  t.equal(await served('a.b.wild.example.com'), fp(main.cert), 'a wildcard covers one label only');
  t.equal(await served('unknown.example.com'), fp(main.cert), 'no match: the main certificate');
  t.equal(await served(), fp(main.cert), 'no SNI: the main certificate');

  // Replaced on disk: picked up from the directory's change event, without a reload call.
  copyFileSync(named.certFile, join(copy, 'other.crt'));
  copyFileSync(named.keyFile, join(copy, 'other.key'));
  t.ok(await until(async () => (await served('webhook.example.com')) === fp(named.cert)), 'the changed SNI certificate is served');

  const map = buildSniMap([{ cert: named.cert, key: readFileSync(named.keyFile), names: [] }], {});
  t.same([...map.keys()], ['api.example.com', '*.apps.example.com']);
  t.ok(lookupSni(map, 'API.example.com'));
  t.equal(lookupSni(map, 'example.com'), undefined);
});

t.test('--tls-sni-cert-key with an IP: for clients that send no SNI, chosen by the address they connected to', async (t) => {
  const server = await startServer(
    base({ bindAddress: '0.0.0.0', sniCertKeys: [{ certFile: other.certFile, keyFile: other.keyFile, names: ['127.0.0.1', 'webhook.example.com'] }] }),
  );
  t.teardown(() => server.close(200));
  const served = async (options: tls.ConnectionOptions) => (await handshake(server.port, options)).fingerprint;
  // Node, like Go, sends no SNI when given an IP address.
  t.equal(await served({}), fp(other.cert), 'no SNI, connected to 127.0.0.1: the certificate named 127.0.0.1');
  t.equal(await served({ servername: 'unknown.example.com' }), fp(main.cert), 'a name without a match: the main certificate');
  t.equal(await served({ servername: 'webhook.example.com' }), fp(other.cert), 'a matching name');
  t.equal(await served({ host: '127.0.0.2' }), fp(main.cert), 'no SNI, another address: the main certificate');
  t.equal(await served({}), fp(other.cert), 'the next connection to 127.0.0.1 again');

  // After the main certificate changes, names without a match get the new one.
  const moved = join(dir, 'ip-main');
  mkdirSync(moved);
  copyFileSync(main.certFile, join(moved, 'tls.crt'));
  copyFileSync(main.keyFile, join(moved, 'tls.key'));
  const reloading = await startServer(
    localServerOptions({ ...main, certFile: join(moved, 'tls.crt'), keyFile: join(moved, 'tls.key') }, {
      reloadIntervalMs: 600_000,
      sniCertKeys: [{ certFile: other.certFile, keyFile: other.keyFile, names: ['127.0.0.1'] }],
    }),
  );
  t.teardown(() => reloading.close(200));
  copyFileSync(named.certFile, join(moved, 'tls.crt'));
  copyFileSync(named.keyFile, join(moved, 'tls.key'));
  reloading.reload();
  t.equal((await handshake(reloading.port, { servername: 'unknown.example.com' })).fingerprint, fp(named.cert), 'the reloaded main certificate');
  t.equal((await handshake(reloading.port, {})).fingerprint, fp(other.cert), 'the IP certificate still');
});

t.test('--bind-address 0.0.0.0, the default, listens on IPv6 as well, as Go does for a wildcard address', async (t) => {
  const server = await startServer(base({ bindAddress: '0.0.0.0', sniCertKeys: [{ certFile: other.certFile, keyFile: other.keyFile, names: ['127.0.0.1'] }] }));
  t.teardown(() => server.close(200));
  // An IPv4 client of a dual-stack listener has the local address ::ffff:127.0.0.1; its name is 127.0.0.1.
  t.equal((await handshake(server.port)).fingerprint, fp(other.cert), 'IPv4, with the certificate named by its address');
  const loopback6 = Object.values(networkInterfaces()).flat().some((i) => i?.family === 'IPv6' && i.internal);
  if (!loopback6) {
    t.comment('this machine has no IPv6 loopback: only IPv4 was tried');
    return;
  }
  t.equal((await handshake(server.port, { host: '::1' })).fingerprint, fp(main.cert), 'IPv6');
  const v4only = await startServer(base({ bindAddress: '127.0.0.1' }));
  t.teardown(() => v4only.close(200));
  t.match(await handshake(v4only.port, { host: '::1' }), { error: /ECONNREFUSED/ }, 'a given address is used as it is');
});

t.test('a changed certificate is served without restart, from directory change events', async (t) => {
  // The layout of a mounted Secret: files are symlinks into ..data, which is swapped atomically.
  const mount = join(dir, 'mount');
  mkdirSync(join(mount, '..v1'), { recursive: true });
  copyFileSync(main.certFile, join(mount, '..v1', 'tls.crt'));
  copyFileSync(main.keyFile, join(mount, '..v1', 'tls.key'));
  symlinkSync('..v1', join(mount, '..data'));
  symlinkSync('..data/tls.crt', join(mount, 'tls.crt'));
  symlinkSync('..data/tls.key', join(mount, 'tls.key'));
  const server = await startServer(base({ certFile: join(mount, 'tls.crt'), keyFile: join(mount, 'tls.key') }));
  t.teardown(() => server.close(200));
  t.equal((await handshake(server.port)).fingerprint, fp(main.cert));

  mkdirSync(join(mount, '..v2'));
  copyFileSync(other.certFile, join(mount, '..v2', 'tls.crt'));
  copyFileSync(other.keyFile, join(mount, '..v2', 'tls.key'));
  symlinkSync('..v2', join(mount, '..data_tmp'));
  renameSync(join(mount, '..data_tmp'), join(mount, '..data'));
  t.ok(await until(async () => (await handshake(server.port)).fingerprint === fp(other.cert)), 'the swapped certificate is served (poll interval: 10 min)');

  // Other files in the directory (a log file, say) do not make it re-read anything.
  const lines: string[] = [];
  const quiet = join(dir, 'quiet');
  mkdirSync(quiet);
  copyFileSync(main.certFile, join(quiet, 'tls.crt'));
  copyFileSync(main.keyFile, join(quiet, 'tls.key'));
  const watched = await startServer(base({ certFile: join(quiet, 'tls.crt'), keyFile: join(quiet, 'tls.key'), logger: createLogger('debug', (l) => lines.push(l)) }));
  t.teardown(() => watched.close(200));
  const rereads = () => lines.filter((l) => l.includes('re-reading certificates')).length;
  for (let i = 0; i < 5; i++) {
    writeFileSync(join(quiet, 'serve.log'), `line ${i}\n`, { flag: 'a' });
    await new Promise((r) => setTimeout(r, 30));
  }
  await new Promise((r) => setTimeout(r, 200));
  t.equal(rereads(), 0, 'writes to an unrelated file are ignored');
  copyFileSync(other.certFile, join(quiet, 'tls.crt'));
  t.ok(await until(async () => rereads() > 0), 'a write to the certificate is not');

  // Files written in place, in two steps: the pair is applied once both match.
  const plain = join(dir, 'plain');
  mkdirSync(plain);
  copyFileSync(main.certFile, join(plain, 'tls.crt'));
  copyFileSync(main.keyFile, join(plain, 'tls.key'));
  const second = await startServer(base({ certFile: join(plain, 'tls.crt'), keyFile: join(plain, 'tls.key') }));
  t.teardown(() => second.close(200));
  copyFileSync(other.certFile, join(plain, 'tls.crt'));
  await new Promise((r) => setTimeout(r, 200));
  t.equal((await handshake(second.port)).fingerprint, fp(main.cert), 'a certificate without its key is not applied');
  // OpenSSL compares a key with the certificate only when both are of one type.
  writeFileSync(join(plain, 'tls.key'), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await new Promise((r) => setTimeout(r, 200));
  t.equal((await handshake(second.port)).fingerprint, fp(main.cert), 'nor with a key of another type');
  copyFileSync(other.keyFile, join(plain, 'tls.key'));
  t.ok(await until(async () => (await handshake(second.port)).fingerprint === fp(other.cert)), 'applied once the key matches');
});

t.test('--cert-dir', async (t) => {
  const certDir = join(dir, 'certdir');
  mkdirSync(certDir);
  const f = parseServeFlags(['--cert-dir', certDir]);
  t.equal(f.certFile, join(certDir, 'tls.crt'));
  t.equal(f.keyFile, join(certDir, 'tls.key'));
  t.equal(parseServeFlags(['--cert-dir', certDir, '--tls-cert-file', 'c', '--tls-private-key-file', 'k']).certFile, 'c', 'explicit files win');
  t.throws(() => parseServeFlags([]), /--tls-cert-file is required: .*or pass --cert-dir/);
  const run = async (args: string[]) => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c) => (err += c));
    const code = await runServe(args, { stdout: new PassThrough(), stderr });
    return { code, err };
  };
  const missing = await run(['--cert-dir', certDir]);
  t.equal(missing.code, 2);
  t.match(missing.err, /certificate file .*certdir\/tls\.crt does not exist; check --cert-dir/);
  writeFileSync(join(certDir, 'tls.crt'), other.cert);
  copyFileSync(main.keyFile, join(certDir, 'tls.key'));
  const mismatch = await run(['--cert-dir', certDir]);
  t.match(mismatch.err, /cannot use .*tls\.crt with .*tls\.key: /);
  copyFileSync(other.keyFile, join(certDir, 'tls.key'));
  const sni = await run(['--cert-dir', certDir, '--tls-sni-cert-key', `${other.certFile},${main.keyFile}:x.example.com`]);
  t.match(sni.err, /cannot use .*other\.crt with .*main\.key \(--tls-sni-cert-key\): /);
});
