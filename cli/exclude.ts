/**
 * `--exclude PATTERN`: files and directories a directory walk leaves out, in the glob syntax of
 * .gitignore lines (without negation): `*` and `?` within a name, `**` across directories, `[a-z]`
 * classes. A pattern without `/` matches a name at any depth; one with `/` matches the path
 * below the directory searched, or the path as reports show it (from the current directory), or
 * the absolute path when the pattern is one; a trailing `/` matches directories only. A
 * directory that matches is left out whole.
 */
export interface ExcludeEntry {
  /** As reports show it: the directory as typed, joined with the path below it. */
  shown: string;
  /** Below the directory being searched. */
  relative: string;
  absolute: string;
  name: string;
  isDir: boolean;
}

export interface ExcludePattern {
  pattern: string;
  /** Whether it has left out anything yet: one that never does is likely mistyped. */
  used: boolean;
  matches(entry: ExcludeEntry): boolean;
}

export class ExcludeSyntaxError extends Error {}

function globSource(glob: string, pattern: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (!atStart || !atEnd) throw new ExcludeSyntaxError(`--exclude ${JSON.stringify(pattern)}: ** must be a whole path segment (as in charts/** or **/test)`);
        if (i + 2 === glob.length) re += '.*';
        else {
          re += '(?:.*/)?';
          i++; // the slash after ** is part of the optional group
        }
        i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) throw new ExcludeSyntaxError(`--exclude ${JSON.stringify(pattern)}: [ opens a character class that no ] closes`);
      let body = glob.slice(i + 1, end);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      re += `[${negated ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return re;
}

export function compileExclude(pattern: string): ExcludePattern {
  if (pattern.trim() === '') throw new ExcludeSyntaxError('--exclude needs a pattern, for example --exclude charts or --exclude "*.values.yaml"');
  if (pattern.startsWith('!')) throw new ExcludeSyntaxError(`--exclude ${JSON.stringify(pattern)}: patterns cannot be negated; name what to leave out`);
  // As reports show paths: with forward slashes on every system.
  let glob = pattern.replace(/\\/g, '/');
  const dirOnly = glob.endsWith('/');
  glob = glob.replace(/\/+$/, '');
  while (glob.startsWith('./')) glob = glob.slice(2);
  const anchored = glob.includes('/');
  const re = new RegExp(`^${globSource(glob, pattern)}$`);
  const result: ExcludePattern = {
    pattern,
    used: false,
    matches(entry) {
      if (dirOnly && !entry.isDir) return false;
      let hit: boolean;
      if (glob.startsWith('/')) hit = re.test(entry.absolute.replace(/\\/g, '/'));
      else if (anchored) hit = re.test(entry.relative.replace(/\\/g, '/')) || re.test(entry.shown.replace(/^(\.\/)+/, ''));
      else hit = re.test(entry.name);
      if (hit) result.used = true;
      return hit;
    },
  };
  return result;
}
