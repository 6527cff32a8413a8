const origin = process.hrtime.bigint();

/**
 * Milliseconds on a monotonic clock. `performance.now()` would do, but its first use loads Node's
 * perf_hooks modules, some milliseconds of every run of the command line.
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint() - origin) / 1e6;
}
