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
// The client is a minimal HTTP/1.1 one over TLS sockets (prebuilt request bytes, one request in
// flight per connection, answers read by Content-Length), as wrk-style generators are: Node's
// https client costs several times the server's work per request, and on a 2-core machine that
// cost would land in the latencies it measures.
//
// autocannon's fixed-rate mode lets each connection send its share of a second back to back at
// the start of the second: that measures bursts at full speed, not a steady rate.
import tls from 'node:tls';

/**
 * @param {{ port: number, path: string, bodies: string[], rate: number, seconds: number, connections: number, warmupSeconds?: number }} o
 * @returns {Promise<{ sent: number, ok: number, errors: number, rate: number, p50: number, p90: number, p99: number, max: number,
 *   fromSent: { p50: number, p90: number, p99: number, max: number }, lateness: { p50: number, p99: number } }>}
 */
export function pacedLoad(o) {
  const requests = o.bodies.map((b) => {
    const body = Buffer.from(b);
    const head = `POST ${o.path} HTTP/1.1\r\nHost: 127.0.0.1:${o.port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), body]);
  });
  const warmup = Math.round(o.rate * (o.warmupSeconds ?? 1));
  const measured = Math.round(o.rate * o.seconds);
  const total = warmup + measured;
  const fromDue = new Float64Array(measured);
  const fromSent = new Float64Array(measured);
  const lateness = new Float64Array(measured);
  const intervalNs = 1e9 / o.rate;
  const start = process.hrtime.bigint();
  const nowNs = () => Number(process.hrtime.bigint() - start);
  let measureStartNs = 0;
  let sent = 0;
  let done = 0;
  let ok = 0;
  let errors = 0;

  return new Promise((resolve) => {
    /** Requests issued while every connection was busy: [index, dueNs, sentNs]. */
    const waiting = [];
    const idle = [];
    const conns = [];

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
        for (const c of conns) c.socket.destroy();
        const elapsed = (nowNs() - measureStartNs) / 1e9;
        const late = percentiles(lateness);
        resolve({ sent: measured, ok, errors, rate: measured / elapsed, ...percentiles(fromDue), fromSent: percentiles(fromSent), lateness: { p50: late.p50, p99: late.p99 } });
      }
    };

    const open = () => {
      const c = { socket: tls.connect({ host: '127.0.0.1', port: o.port, rejectUnauthorized: false }), current: null, buf: Buffer.alloc(0) };
      c.socket.on('data', (chunk) => onData(c, chunk));
      c.socket.on('error', () => {});
      c.socket.on('close', () => {
        // A dropped connection fails its request; a new one takes its place.
        const i = conns.indexOf(c);
        if (i >= 0) conns.splice(i, 1);
        const j = idle.indexOf(c);
        if (j >= 0) idle.splice(j, 1);
        if (c.current) {
          const [index, dueNs, sentNs] = c.current;
          c.current = null;
          finish(index, dueNs, sentNs, false);
        }
        if (done < total) release(open());
      });
      conns.push(c);
      return c;
    };

    const dispatch = (c, job) => {
      c.current = job;
      c.socket.write(requests[job[0] % requests.length]);
    };
    const release = (c) => {
      const job = waiting.shift();
      if (job) dispatch(c, job);
      else idle.push(c);
    };

    // Reads answers by Content-Length; one request is in flight per connection.
    const onData = (c, chunk) => {
      c.buf = c.buf.length === 0 ? chunk : Buffer.concat([c.buf, chunk]);
      for (;;) {
        const end = c.buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = c.buf.latin1Slice(0, end);
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (c.buf.length < end + 4 + length) return;
        c.buf = c.buf.subarray(end + 4 + length);
        const job = c.current;
        c.current = null;
        if (job) finish(job[0], job[1], job[2], head.startsWith('HTTP/1.1 200 '));
        if (/\r\nconnection:\s*close/i.test(head)) {
          c.socket.destroy();
          return;
        }
        release(c);
      }
    };

    const issue = (i) => {
      const job = [i, i * intervalNs, nowNs()];
      if (i === warmup) measureStartNs = job[1];
      const c = idle.pop();
      if (c) dispatch(c, job);
      else waiting.push(job);
    };

    const tick = () => {
      // Issue everything that is due; a late tick issues its backlog at once (and it counts).
      const due = Math.min(total, Math.floor(nowNs() / intervalNs) + 1);
      while (sent < due) issue(sent++);
      if (sent < total) setTimeout(tick, Math.max(0, (sent * intervalNs - nowNs()) / 1e6));
    };

    for (let i = 0; i < o.connections; i++) idle.push(open());
    tick();
  });
}

function percentiles(values) {
  const sorted = Array.from(values).sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] };
}
