/**
 * `--exclude PATTERN`: files and directories a directory walk leaves out, in the glob syntax of
 * .gitignore lines: `*` and `?` within a name, `**` as a whole segment across directories,
 * `[a-z]` and `[!a-z]` classes. A pattern without `/` (but a trailing one) matches a name at any
 * depth; one with `/` matches the path below the directory searched or the path as reports show
 * it; a leading `/` anchors it to the directory searched, or names an absolute path; a trailing
 * `/` matches directories only. A directory that matches is left out whole. Unlike .gitignore,
 * there is no negation (`!`), and `\` is a path separator, not an escape.
 */
import { realpathSync } from 'node:fs';

export interface ExcludeEntry {
  /** As reports show it: the directory as typed, joined with the path below it. */
  shown: string;
  /** Below the directory being searched. */
  relative: string;
  absolute: string;
  /** The absolute path with its directories' symbolic links resolved. */
  real?: string;
  name: string;
  isDir: boolean;
}

export interface ExcludePattern {
  pattern: string;
  /** Whether it has matched anything yet, even inside a directory left out: one that never does is likely mistyped. */
  used: boolean;
  matches(entry: ExcludeEntry): boolean;
}

export class ExcludeSyntaxError extends Error {}

function globSource(glob: string, pattern: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*' && (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/')) {
        if (i + 2 === glob.length) re += '.*';
        else {
          re += '(?:.*/)?';
          i++; // the slash after ** is part of the optional group
        }
        i++;
      } else {
        // Elsewhere, ** is two *: any characters within a name.
        while (glob[i + 1] === '*') i++;
        re += '[^/]*';
      }
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const negated = glob[i + 1] === '!' || glob[i + 1] === '^';
      const first = i + (negated ? 2 : 1);
      // A ] right after [ or [! is one of the class's characters.
      const end = glob.indexOf(']', first + 1);
      if (end < 0) throw new ExcludeSyntaxError(`--exclude ${JSON.stringify(pattern)}: [ opens a character class that no ] closes`);
      const body = glob.slice(first, end);
      // A class matches no /, as in .gitignore.
      re += `(?!/)[${negated ? '^' : ''}${body.replace(/[\\\]^[]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return re;
}

/**
 * An absolute glob with the symbolic links of its longest leading part without wildcards
 * resolved, where that changes it; undefined otherwise.
 */
function physicalGlob(glob: string): string | undefined {
  const parts = glob.split('/');
  let plain = 0;
  while (plain < parts.length && !/[*?[]/.test(parts[plain]!)) plain++;
  for (let n = plain; n > 1; n--) {
    const prefix = parts.slice(0, n).join('/');
    try {
      const real = realpathSync(prefix).replace(/\\/g, '/');
      return real === prefix ? undefined : [real, ...parts.slice(n)].join('/');
    } catch {
      // Not there (yet): try a shorter part.
    }
  }
  return undefined;
}

export function compileExclude(pattern: string): ExcludePattern {
  if (pattern.trim() === '') throw new ExcludeSyntaxError('--exclude needs a pattern, for example --exclude charts or --exclude "*.values.yaml"');
  if (pattern.startsWith('!')) throw new ExcludeSyntaxError(`--exclude ${JSON.stringify(pattern)}: patterns cannot be negated; name what to leave out`);
  // As reports show paths: with forward slashes on every system (so \ escapes nothing).
  let glob = pattern.replace(/\\/g, '/');
  const dirOnly = glob.endsWith('/');
  glob = glob.replace(/\/+$/, '');
  // Any / but a trailing one anchors the pattern, ./ included, as in .gitignore.
  const anchored = glob.includes('/');
  // A leading / anchors it to the directory searched, as in .gitignore, unless it is an absolute path there is.
  const absolute = /^(\/|[A-Za-z]:\/)/.test(glob);
  const rooted = glob.replace(/^\/+/, '').replace(/^(\.\/)+/, '');
  let re: RegExp;
  const absoluteRes: RegExp[] = [];
  try {
    re = new RegExp(`^${globSource(rooted, pattern)}$`);
    if (absolute) {
      const flags = /^[A-Za-z]:/.test(glob) ? 'i' : '';
      absoluteRes.push(new RegExp(`^${globSource(glob, pattern)}$`, flags));
      // Written through a link (the shell's $PWD keeps them; the walk sees where they lead).
      const physical = physicalGlob(glob);
      if (physical !== undefined) absoluteRes.push(new RegExp(`^${globSource(physical, pattern)}$`, flags));
    }
  } catch (err) {
    if (err instanceof ExcludeSyntaxError) throw err;
    // A class whose range runs backwards, such as [z-a].
    throw new ExcludeSyntaxError(`--exclude ${JSON.stringify(pattern)}: ${(err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`);
  }
  const result: ExcludePattern = {
    pattern,
    used: false,
    matches(entry) {
      if (dirOnly && !entry.isDir) return false;
      let hit: boolean;
      if (!anchored) hit = re.test(entry.name);
      else {
        hit = re.test(entry.relative.replace(/\\/g, '/')) || re.test(entry.shown.replace(/\\/g, '/').replace(/^(\.\/)+/, ''));
        for (const abs of absoluteRes) {
          if (hit) break;
          hit = abs.test(entry.absolute.replace(/\\/g, '/')) || (entry.real !== undefined && abs.test(entry.real.replace(/\\/g, '/')));
        }
      }
      if (hit) result.used = true;
      return hit;
    },
  };
  return result;
}
