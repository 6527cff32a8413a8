/** A one-line progress indicator on stderr, shown only on a terminal and only for long scans. */
import type { CliIO } from './io.js';

export interface Progress {
  update: (phase: 'read' | 'evaluate', done: number, total: number) => void;
  done: () => void;
}

const QUIET: Progress = { update: () => {}, done: () => {} };

export function createProgress(io: CliIO, delayMs = 300): Progress {
  const tty = io.stderrIsTTY ?? io.isTTY;
  if (!tty || io.env.CI) return QUIET;
  const start = performance.now();
  let last = 0;
  let shown = false;
  return {
    update(phase, done, total) {
      const now = performance.now();
      // Short runs stay silent; long ones refresh at most ten times a second.
      if (now - start < delayMs || now - last < 100) return;
      last = now;
      shown = true;
      const what = phase === 'read' ? `reading files ${done}/${total}` : `checking objects ${done}/${total}`;
      io.stderr.write(`\r\x1b[Kpodsec: ${what}…`);
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
