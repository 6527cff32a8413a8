/** A one-line progress indicator on stderr, shown only on a terminal and only for long scans. */
import type { CliIO } from './io.js';
import { printable } from './report/text.js';
import { nowMs } from './clock.js';

export interface ProgressEvent {
  /** Files are read and their objects judged together; `evaluate` judges again the objects whose Namespace came after them. */
  phase: 'read' | 'evaluate';
  /** Files read so far, or objects judged again so far. */
  done: number;
  total: number;
  /** While reading: the file being read and the documents read from it so far. */
  file?: string;
  documents?: number;
}

export interface Progress {
  update: (event: ProgressEvent) => void;
  done: () => void;
}

export interface ProgressTiming {
  /** Runs shorter than this stay silent. */
  delayMs?: number;
  /** Refresh at most this often. */
  intervalMs?: number;
  now?: () => number;
}

const QUIET: Progress = { update: () => {}, done: () => {} };

const count = (n: number): string => n.toLocaleString('en-US');

export function progressText(e: ProgressEvent): string {
  if (e.phase === 'evaluate') return `checking objects again under Namespaces read after them ${count(e.done)}/${count(e.total)}`;
  const files = `checking files ${count(e.done)}/${count(e.total)}`;
  // The name comes from the directory searched: its control characters would drive the terminal.
  return e.file === undefined ? files : `${files}: ${printable(e.file)}, ${count(e.documents ?? 0)} documents`;
}

export function createProgress(io: CliIO, timing: ProgressTiming = {}): Progress {
  const tty = io.stderrIsTTY ?? io.isTTY;
  if (!tty || io.env.CI) return QUIET;
  const { delayMs = 300, intervalMs = 100, now = nowMs } = timing;
  const start = now();
  let last = -Infinity;
  let shown = false;
  return {
    update(event) {
      const t = now();
      if (t - start < delayMs || t - last < intervalMs) return;
      last = t;
      shown = true;
      io.stderr.write(`\r\x1b[Kpodsec: ${progressText(event)}…`);
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
