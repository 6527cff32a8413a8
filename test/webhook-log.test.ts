// Log lines are batched off the request path, but every one of them arrives, in order.
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { asyncStderr, createLogger } from '../webhook/log.js';

t.test('drain waits until every batched line is written', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'podsec-log-')), 'log');
  const fd = openSync(file, 'w');
  const sink = asyncStderr(fd);
  const log = createLogger('info', sink);
  let n = 0;
  for (let turn = 0; turn < 20; turn++) {
    for (let i = 0; i < 1000; i++) log.raw('info', 'admission decision', `"n":${n++},"pad":"${'x'.repeat(i % 50)}"`);
    await new Promise((r) => setImmediate(r));
  }
  log.info('stopped');
  await sink.drain();
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  closeSync(fd);
  t.equal(lines.length, n + 1);
  t.ok(lines.slice(0, n).every((l, i) => l.n === i && l.msg === 'admission decision'), 'all decision lines, in order');
  t.equal(lines[n].msg, 'stopped');
  // Nothing is pending: drain resolves at once, before the event loop turns again.
  const next = new Promise((r) => setImmediate(() => r('a turn of the event loop')));
  t.equal(await Promise.race([sink.drain().then(() => 'drained'), next]), 'drained', 'drain with nothing pending resolves at once');
});
