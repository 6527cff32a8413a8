// An open-loop, paced HTTPS load: one request every 1/rate seconds, spread over keep-alive
// connections, whatever the answers do.
//
// Each request is timed twice: from when it was due (a stalled generator or server cannot hide
// its backlog: no coordinated omission, but the generator's own timer lateness counts too) and
// from when the generator issued it (the server's latency as its client sees it, queueing for
// a busy connection included). The first `warmupSeconds` open the connections (TLS
// handshakes) and warm both sides; they are sent at the same rate but not counted, as an API
// server's connections to a webhook are long-lived.
//
// autocannon's fixed-rate mode lets each connection send its share of a second back to back at
// the start of the second: that measures bursts at full speed, not a steady rate.
import https from 'node:https';

/**
 * @param {{ port: number, path: string, bodies: string[], rate: number, seconds: number, connections: number, warmupSeconds?: number }} o
 * @returns {Promise<{ sent: number, ok: number, errors: number, rate: number, p50: number, p90: number, p99: number, max: number,
 *   fromSent: { p50: number, p90: number, p99: number, max: number }, lateness: { p50: number, p99: number } }>}
 */
export function pacedLoad(o) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: o.connections, rejectUnauthorized: false });
  const bodies = o.bodies.map((b) => Buffer.from(b));
  const warmup = Math.round(o.rate * (o.warmupSeconds ?? 1));
  const measured = Math.round(o.rate * o.seconds);
  const total = warmup + measured;
  const fromDue = new Float64Array(measured);
  const fromSent = new Float64Array(measured);
  const lateness = new Float64Array(measured);
  const intervalNs = 1e9 / o.rate;
  let sent = 0;
  let done = 0;
  let ok = 0;
  let errors = 0;
  const start = process.hrtime.bigint();
  const nowNs = () => Number(process.hrtime.bigint() - start);
  let measureStartNs = 0;

  return new Promise((resolve) => {
    const finish = (i, dueNs, sentNs, good) => {
      const k = i - warmup;
      if (k >= 0) {
        const t = nowNs();
        fromDue[k] = (t - dueNs) / 1e6;
        fromSent[k] = (t - sentNs) / 1e6;
        lateness[k] = (sentNs - dueNs) / 1e6;
        if (good) ok++;
        else errors++;
      }
      if (++done === total) {
        agent.destroy();
        const elapsed = (nowNs() - measureStartNs) / 1e9;
        const q = percentiles(fromDue);
        const late = percentiles(lateness);
        resolve({ sent: measured, ok, errors, rate: measured / elapsed, ...q, fromSent: percentiles(fromSent), lateness: { p50: late.p50, p99: late.p99 } });
      }
    };
    const send = (i) => {
      const dueNs = i * intervalNs;
      const sentNs = nowNs();
      if (i === warmup) measureStartNs = dueNs;
      const body = bodies[i % bodies.length];
      const req = https.request(
        { host: '127.0.0.1', port: o.port, path: o.path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => finish(i, dueNs, sentNs, res.statusCode === 200));
          res.on('error', () => finish(i, dueNs, sentNs, false));
        },
      );
      req.on('error', () => finish(i, dueNs, sentNs, false));
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

function percentiles(values) {
  const sorted = Array.from(values).sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] };
}
