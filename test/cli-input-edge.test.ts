// Inputs given in odd ways: pipes and devices named as paths, reports asked for in odd places.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Report } from '../cli/report/model.js';
import { cli } from './helpers/cli.js';

const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: x
    securityContext:
      privileged: true
`;

t.test('a FIFO named as an input is read up to --max-file-size, and no further', async (t) => {
  const dir = t.testdir({});
  const small = join(dir, 'small');
  const big = join(dir, 'big');
  execFileSync('mkfifo', [small, big]);
  // Writers in other processes: a FIFO opens only once both ends are open.
  const writer = (fifo: string, bytes: string) => spawn('sh', ['-c', `(${bytes}) > '${fifo}'`], { stdio: 'ignore' });
  writer(small, `printf '%s' '${PRIVILEGED_POD}'`);
  const ok = await cli(['check', '-f', 'json', '-l', 'baseline', small]);
  t.equal(ok.code, 1, 'the privileged pod read through the FIFO is denied');
  t.equal((JSON.parse(ok.stdout) as Report).summary.denied, 1);
  // A pipe has no size beforehand: without a limit while reading, a stream that does not end
  // (`podsec check /dev/zero`, `yes | podsec check /dev/stdin`) was read until memory ran out.
  writer(big, 'head -c 3000000 /dev/zero | tr "\\\\0" "#"');
  const r = await cli(['check', '-f', 'json', '--max-file-size', '1', big]);
  t.equal(r.code, 2);
  t.match((JSON.parse(r.stdout) as Report).errors, [{ file: big, message: 'it holds more than the limit of 1 MB', hint: /--max-file-size/ }]);
});

t.test('--output ending with "/" names a directory: refused, and no file is made in its place', async (t) => {
  const dir = t.testdir({ 'app.yaml': PRIVILEGED_POD, reports: {} });
  // resolve() drops the "/": the report was written to a file named "out".
  const r = await cli(['check', '-f', 'sarif', '-o', 'out/', 'app.yaml'], { cwd: dir });
  t.equal(r.code, 2);
  t.equal(r.stderr, 'podsec check: --output out/ names a directory, not a file\nhint: give the report\'s file, for example --output out/report.sarif\n');
  t.notOk(existsSync(join(dir, 'out')), 'no file "out"');
  t.equal((await cli(['check', '-o', 'reports/', 'app.yaml'], { cwd: dir })).code, 2);
});
