// Load benchmark for `podsec serve` (build first: npm run build).
//
//   node bench/webhook-load.js [--duration 10] [--connections 32] [--rate 1000] [--rounds 3]
//
// The machine has 2 cores: the load generator (this process) and each server share them, so
// figures move with whatever else runs; compare the two servers within one run.
//
// Starts, as separate processes, `podsec serve` (against an in-process fake API server) and a
// bare Node HTTPS server answering a fixed "allowed" review (the ceiling), then loads each
// from this process with autocannon over loopback: first at full speed (the two servers in
// alternating rounds), then at a fixed request rate, then at a steady paced rate
// (bench/paced-load.js). Prints throughput, latency
// percentiles and each server's CPU time per request (from /proc, during the full-speed run);
// it asserts nothing. Both servers read the whole body and get the same connections,
// pipelining and request mix. autocannon's fixed rate is paced per connection and per second
// (each connection sends its share of the second back to back), and its latencies have 1 ms
// resolution; the paced run (a minimal HTTP/1.1 client) sends one request every 1/rate s, after
// a warm-up on open connections, and times it from when it was due and from when it was sent.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { pacedLoad } from './paced-load.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const { makeSelfSignedCert } = await import(join(dist, 'webhook/testing/certs.js'));
const { FakeApiServer } = await import(join(dist, 'webhook/testing/fake-apiserver.js'));
const reviews = await import(join(dist, 'webhook/testing/reviews.js'));

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

// Child mode: the ceiling server. It reads the body and answers a constant review.
if (process.argv[2] === '--ceiling-server') {
  const [certFile, keyFile] = process.argv.slice(3);
  const answer = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'x', allowed: true } });
  const server = https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2' }, (req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${server.address().port}\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  await main();
}

function waitForPort(child, pattern) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (c) => {
      buf += c;
      const m = pattern.exec(buf);
      if (m) {
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        // Keep draining, as a log collector would, without looking at the lines.
        child.stdout?.resume();
        child.stderr?.resume();
        buf = '';
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${buf.slice(-500)}`)));
  });
}

function waitForLogPort(child, file, pattern) {
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`server exited with ${code}: ${readFileSync(file, 'utf8').slice(-500)}`));
    child.on('exit', onExit);
    const poll = () => {
      const m = pattern.exec(readFileSync(file, 'utf8'));
      if (!m) return void setTimeout(poll, 20);
      child.off('exit', onExit);
      resolve(Number(m[1]));
    };
    poll();
  });
}

// Server CPU time in microseconds, user and system, from /proc; undefined where there is none.
function cpuMicros(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { user: Number(fields[11]) * 1e4, sys: Number(fields[12]) * 1e4 }; // clock ticks of 10 ms
  } catch {
    return undefined;
  }
}
function load(port, requests, opts) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `https://127.0.0.1:${port}`,
        tlsOptions: { rejectUnauthorized: false },
        requests,
        connections: opts.connections,
        duration: opts.duration,
        overallRate: opts.rate,
        pipelining: 1,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });
}

async function main() {
  const duration = arg('duration', 10);
  const connections = arg('connections', 32);
  const rate = arg('rate', 1000);
  const dir = mkdtempSync(join(tmpdir(), 'podsec-bench-'));
  const cert = makeSelfSignedCert(dir);
  const apiCert = makeSelfSignedCert(dir, 'api');

  const P = 'pod-security.kubernetes.io/';
  const api = new FakeApiServer({ tls: { cert: apiCert.cert, key: readFileSync(apiCert.keyFile) } });
  api.setNamespace('restricted', { [`${P}enforce`]: 'restricted' });
  api.setNamespace('baseline', { [`${P}enforce`]: 'baseline', [`${P}warn`]: 'restricted', [`${P}audit`]: 'restricted' });
  await api.start();
  const kubeconfig = join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig);

  // Decision logs go to a file, as to a node's log collector: draining a pipe here would take
  // CPU from the load generator, which shares the machine with the servers.
  const logFile = join(dir, 'serve.log');
  const serve = spawn(
    process.execPath,
    [...(process.env.PODSEC_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), fileURLToPath(new URL('../bin/podsec.js', import.meta.url)), 'serve', '--tls-cert-file', cert.certFile, '--tls-private-key-file', cert.keyFile, '--bind-address', '127.0.0.1', '--secure-port', '0', '--kubeconfig', kubeconfig, '--log-level', 'info'],
    { stdio: ['ignore', 'ignore', openSync(logFile, 'w')] },
  );
  // If anything below fails, do not leave servers running.
  const children = [serve];
  process.on('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));
  const servePort = await waitForLogPort(serve, logFile, /"msg":"podsec webhook serving"[^\n]*"port":(\d+)/);
  const ceiling = spawn(process.execPath, [fileURLToPath(import.meta.url), '--ceiling-server', cert.certFile, cert.keyFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(ceiling);
  ceiling.stdout.setEncoding('utf8');
  const ceilingPort = await waitForPort(ceiling, /PORT (\d+)/);

  for (let i = 0; i < 100; i++) {
    const ready = await new Promise((r) => https.get({ host: '127.0.0.1', port: servePort, path: '/readyz', rejectUnauthorized: false }, (res) => { res.resume(); r(res.statusCode === 200); }).on('error', () => r(false)));
    if (ready) break;
    await new Promise((r) => setTimeout(r, 50));
  }

  const good = reviews.RESTRICTED_POD_SPEC;
  const mix = [
    reviews.podReview('restricted', 'allowed-pod', good, 'u1'),
    reviews.podReview('restricted', 'denied-pod', undefined, 'u2'),
    reviews.podReview('baseline', 'warned-pod', { containers: [{ name: 'app', image: 'nginx' }] }, 'u3'),
    reviews.deploymentReview('restricted', 'web', { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] }, 'u4'),
    reviews.deploymentReview('baseline', 'api', good, 'u5'),
  ].map((r) => ({ method: 'POST', path: '/validate?timeout=5s', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r) }));

  // Sanity: the mix gets real answers.
  const check = await load(servePort, mix, { connections: 1, duration: 1 });
  if (check.non2xx > 0 || check.errors > 0) throw new Error(`webhook answered errors: ${JSON.stringify({ non2xx: check.non2xx, errors: check.errors })}`);

  // Full speed in alternating rounds (podsec, ceiling, podsec, …): the machine's drift then
  // hits both servers alike, and each round gives one ratio.
  const servers = [['podsec serve', servePort, serve.pid], ['ceiling', ceilingPort, ceiling.pid]];
  for (const [, port] of servers) await load(port, mix, { connections, duration: 3 }); // warm-up
  const rounds = arg('rounds', 3);
  const runs = { 'podsec serve': [], ceiling: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [name, port, pid] of servers) {
      const cpu0 = cpuMicros(pid);
      const max = await load(port, mix, { connections, duration });
      const cpu1 = cpuMicros(pid);
      const n = max.requests.total;
      const cpuPerRequest = cpu0 === undefined || cpu1 === undefined ? undefined : { user: (cpu1.user - cpu0.user) / n, sys: (cpu1.sys - cpu0.sys) / n };
      runs[name].push({ max, cpuPerRequest });
    }
  }
  const roundRatios = runs['podsec serve'].map((p, i) => p.max.requests.average / runs.ceiling[i].max.requests.average);
  const cpuText = (c) => (c === undefined ? 'n/a' : `${Math.round(c.user + c.sys)} µs`);
  runs['podsec serve'].forEach((p, i) => {
    const c = runs.ceiling[i];
    console.log(`round ${i + 1}: podsec ${Math.round(p.max.requests.average)} req/s (${cpuText(p.cpuPerRequest)}/req), ceiling ${Math.round(c.max.requests.average)} req/s (${cpuText(c.cpuPerRequest)}/req)`);
  });
  const medianOf = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const results = {};
  for (const [name, port] of servers) {
    // The round with the median throughput stands for the server in the table.
    const byRate = [...runs[name]].sort((a, b) => a.max.requests.average - b.max.requests.average);
    const { max, cpuPerRequest } = byRate[Math.floor(byRate.length / 2)];
    const fixed = await load(port, mix, { connections: 10, duration, rate });
    const paced = await pacedLoad({ port, path: '/validate?timeout=5s', bodies: mix.map((m) => m.body), rate, seconds: duration, connections: 10 });
    results[name] = { max, fixed, paced, cpuPerRequest };
  }

  const fmt = (n) => (typeof n === 'number' ? n.toFixed(2) : String(n));
  const rows = Object.entries(results).map(([name, { max, fixed, paced, cpuPerRequest }]) => ({
    server: name,
    'CPU µs/req (max)': cpuPerRequest === undefined ? 'n/a' : Math.round(cpuPerRequest.user + cpuPerRequest.sys),
    'user/sys µs': cpuPerRequest === undefined ? 'n/a' : `${Math.round(cpuPerRequest.user)}/${Math.round(cpuPerRequest.sys)}`,
    'req/s (max)': Math.round(max.requests.average),
    'p50 ms (max)': fmt(max.latency.p50),
    'p99 ms (max)': fmt(max.latency.p99),
    [`p99 ms (autocannon @${rate})`]: fmt(fixed.latency.p99),
    [`req/s (paced @${rate})`]: Math.round(paced.rate),
    [`p50/p90/p99 ms (paced, from due)`]: `${fmt(paced.p50)}/${fmt(paced.p90)}/${fmt(paced.p99)}`,
    [`p50/p99 ms (paced, from sent)`]: `${fmt(paced.fromSent.p50)}/${fmt(paced.fromSent.p99)}`,
    errors: max.errors + max.non2xx + fixed.errors + fixed.non2xx + paced.errors,
  }));
  console.log(`\nmix: ${mix.length} AdmissionReviews (allowed pod, denied pod, warned pod, 2 Deployments); ${connections} connections, ${duration}s per run\n`);
  console.table(rows);
  const ratio = medianOf(roundRatios);
  const p99 = results['podsec serve'].paced.p99;
  console.log(`throughput vs ceiling: ${(ratio * 100).toFixed(1)}%, median of ${rounds} alternating rounds (${roundRatios.map((r) => `${(r * 100).toFixed(0)}%`).join(', ')}) (target >= 70%)`);
  const pp = results['podsec serve'].paced;
  console.log(`p99 at a steady ${rate} req/s (paced, after 1 s of warm-up on open connections): ${fmt(p99)} ms from when due, ${fmt(pp.fromSent.p99)} ms from when sent (target <= 5 ms); the generator sent ${fmt(pp.lateness.p50)} ms late at p50, ${fmt(pp.lateness.p99)} ms at p99; autocannon's bursty fixed rate: ${fmt(results['podsec serve'].fixed.latency.p99)} ms`);

  const stopped = Date.now();
  serve.kill('SIGTERM');
  ceiling.kill('SIGTERM');
  const [code] = await Promise.all([new Promise((r) => serve.on('exit', r)), new Promise((r) => ceiling.on('exit', r))]);
  console.log(`podsec serve exited with ${code} ${Date.now() - stopped} ms after SIGTERM`);
  await api.stop();
}
