/** One problem in a rule file: where it is, what is wrong, and what to write instead. */
export interface RuleProblem {
  file: string;
  line: number;
  column: number;
  /** JSON Pointer of the offending node inside the file. */
  pointer: string;
  message: string;
  hint: string;
}

/** A problem as the commands print it: `file:line:column: message (hint)`. */
export function formatProblem(p: RuleProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`;
}

/** Thrown when rule files are invalid. Carries every problem found, not just the first. */
export class RuleLoadError extends Error {
  readonly problems: RuleProblem[];
  constructor(problems: RuleProblem[]) {
    const head = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`invalid rule files (${head}):\n` + problems.map((p) => '  ' + formatProblem(p)).join('\n'));
    this.name = 'RuleLoadError';
    this.problems = problems;
  }
}

/** Thrown for a bad argument to the public API (unknown level, malformed version, non-object pod). */
export class PodsecArgumentError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'PodsecArgumentError';
  }
}

/** A caller's value, for an error message: JSON where it has one, never a throw (BigInt, cycles, symbols, functions). */
export function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json.length > 200 ? json.slice(0, 200) + '…' : json;
  } catch {
    // a cycle, a BigInt inside, or a toJSON that throws
  }
  return Array.isArray(value) ? 'an array' : typeof value === 'object' && value !== null ? 'an object' : typeof value;
}

/** A file system error in words: "no such file or directory", never Node's "ENOENT: …, open '/x'". */
export function errnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EROFS':
      return 'read-only file system';
  }
  const message = String(e?.message ?? err);
  // Node writes "CODE: description, syscall 'path'": keep the description.
  return message.replace(/^[A-Z][A-Z0-9_]+: /, '').replace(/, [a-z_]+(?: '.*')?$/, '');
}
