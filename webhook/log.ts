import fs from 'node:fs';
/** Structured JSON logs on stderr, one object per line. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
export const LOG_LEVELS = Object.keys(RANK) as LogLevel[];

export interface Logger {
  level: LogLevel;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  enabled(level: LogLevel): boolean;
  /** A line whose fields are already JSON: `"k":v` pairs, comma-separated. */
  raw(level: LogLevel, msg: string, fields: string): void;
}

/**
 * Writes to stderr off the request path: stderr to a pipe is synchronous in Node, so lines are
 * batched (up to 20 ms or 64 KiB) and written by the thread pool, one write in flight at a time.
 */
export function asyncStderr(fd = 2): ((line: string) => void) & { flush(): void; drain(): Promise<void> } {
  const MAX_PENDING = 8 * 1024 * 1024;
  let pending: string[] = [];
  let pendingBytes = 0;
  let dropped = 0;
  let writing = false;
  let scheduled = false;
  let waiters: (() => void)[] = [];
  const settle = () => {
    const w = waiters;
    waiters = [];
    for (const r of w) r();
  };
  const take = (): Buffer | undefined => {
    if (dropped > 0) {
      pending.push(JSON.stringify({ ts: new Date().toISOString(), level: 'warn', msg: 'log lines dropped', dropped }) + '\n');
      dropped = 0;
    }
    if (pending.length === 0) return undefined;
    const buf = Buffer.from(pending.join(''));
    pending = [];
    pendingBytes = 0;
    return buf;
  };
  const pump = () => {
    scheduled = false;
    if (writing) return;
    const buf = take();
    if (!buf) return settle();
    writing = true;
    const writeFrom = (offset: number) => {
      fs.write(fd, buf, offset, buf.length - offset, null, (err, n) => {
        if (err && (err as NodeJS.ErrnoException).code === 'EAGAIN') {
          setTimeout(() => writeFrom(offset), 5);
          return;
        }
        if (!err && offset + n < buf.length) return writeFrom(offset + n);
        writing = false;
        if (pending.length > 0 || dropped > 0) pump();
        else settle();
      });
    };
    writeFrom(0);
  };
  const write = (line: string) => {
    if (pendingBytes > MAX_PENDING) {
      dropped++;
      return;
    }
    pending.push(line);
    pendingBytes += line.length;
    if (pendingBytes >= 64 * 1024 && !writing) pump();
    else if (!scheduled && !writing) {
      // A short delay gathers many lines per write, so the thread pool wakes up rarely.
      scheduled = true;
      setTimeout(pump, 20).unref();
    }
  };
  const flush = () => {
    const buf = take();
    if (!buf) return;
    try {
      fs.writeSync(fd, buf);
    } catch {
      /* nowhere left to report it */
    }
  };
  /** Resolves once every line written so far has reached the file descriptor. */
  const drain = (): Promise<void> => {
    if (!writing && pending.length === 0 && dropped === 0) return Promise.resolve();
    const done = new Promise<void>((r) => waiters.push(r));
    if (!writing) pump();
    return done;
  };
  process.once('exit', flush);
  return Object.assign(write, { flush, drain });
}

export function createLogger(level: LogLevel = 'info', write: (line: string) => void = asyncStderr()): Logger {
  const logger: Logger = {
    level,
    enabled: (l) => RANK[l] >= RANK[logger.level],
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    raw: (l, m, f) => {
      if (RANK[l] >= RANK[logger.level]) write(`{"ts":"${timestamp()}","level":"${l}","msg":${JSON.stringify(m)},${f}}\n`);
    },
  };
  // Formatting a timestamp costs more than the rest of a line: reuse it within a millisecond.
  let tsMs = NaN;
  let tsText = '';
  function timestamp(): string {
    const now = Date.now();
    if (now !== tsMs) {
      tsMs = now;
      tsText = new Date(now).toISOString();
    }
    return tsText;
  }
  function emit(l: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (RANK[l] < RANK[logger.level]) return;
    let line = `{"ts":"${timestamp()}","level":"${l}","msg":${JSON.stringify(msg)}`;
    if (fields) {
      try {
        // Fields named ts, level or msg come later, so JSON readers take them, as a spread would.
        const text = JSON.stringify(fields);
        if (text.length > 2) line += ',' + text.slice(1, -1);
      } catch {
        /* unserialisable fields: keep the message */
      }
    }
    write(line + '}\n');
  }
  return logger;
}

export function isLogLevel(s: string): s is LogLevel {
  return Object.prototype.hasOwnProperty.call(RANK, s);
}
