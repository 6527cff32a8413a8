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
}

export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const logger: Logger = {
    level,
    enabled: (l) => RANK[l] >= RANK[logger.level],
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
  function emit(l: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (RANK[l] < RANK[logger.level]) return;
    let line: string;
    try {
      line = JSON.stringify({ ts: new Date().toISOString(), level: l, msg, ...fields });
    } catch {
      line = JSON.stringify({ ts: new Date().toISOString(), level: l, msg });
    }
    write(line + '\n');
  }
  return logger;
}

export function isLogLevel(s: string): s is LogLevel {
  return Object.prototype.hasOwnProperty.call(RANK, s);
}
