// An open-loop, paced HTTPS load: one request every 1/rate seconds, spread over keep-alive
// connections, whatever the answers do. Latency counts from when a request was due, not from
// when it left, so a stalled client or server cannot hide its backlog (no coordinated omission).
//
// autocannon's fixed-rate mode lets each connection send its share of a second back to back at
// the start of the second: that measures bursts at full speed, not a steady rate.
import https from 'node:https';

/**
 * @param {{ port: number, path: string, bodies: string[], rate: number, seconds: number, connections: number }} o
 * @returns {Promise<{ sent: number, ok: number, errors: number, rate: number, p50: number, p90: number, p99: number, max: number }>}
 */
export function pacedLoad(o) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: o.connections, rejectUnauthorized: false });
  const bodies = o.bodies.map((b) => Buffer.from(b));
  const total = Math.round(o.rate * o.seconds);
  const latencies = new Float64Array(total);
  const intervalNs = 1e9 / o.rate;
  let sent = 0;
  let done = 0;
  let ok = 0;
  let errors = 0;
  const start = process.hrtime.bigint();
  const nowNs = () => Number(process.hrtime.bigint() - start);

  return new Promise((resolve) => {
    const finish = (i, dueNs, good) => {
      latencies[i] = (nowNs() - dueNs) / 1e6;
      if (good) ok++;
      else errors++;
      if (++done === total) {
        agent.destroy();
        const elapsed = nowNs() / 1e9;
        const sorted = Array.from(latencies).sort((a, b) => a - b);
        const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
        resolve({ sent, ok, errors, rate: total / elapsed, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] });
      }
    };
    const send = (i) => {
      const dueNs = i * intervalNs;
      const body = bodies[i % bodies.length];
      const req = https.request(
        { host: '127.0.0.1', port: o.port, path: o.path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => finish(i, dueNs, res.statusCode === 200));
          res.on('error', () => finish(i, dueNs, false));
        },
      );
      req.on('error', () => finish(i, dueNs, false));
      req.end(body);
    };
    const tick = () => {
      // Send everything that is due; a late tick sends its backlog at once (and it counts).
      const due = Math.min(total, Math.floor(nowNs() / intervalNs) + 1);
      while (sent < due) send(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, (sent * intervalNs - nowNs()) / 1e6));
    };
    tick();
  });
}
