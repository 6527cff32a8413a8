// The `yaml` package's syntax errors in the words of a file's author: what is wrong where the
// error points, and what to do. Its own messages name parser tokens ("flow-map-end") and its
// advice is for programmers.

export interface YamlErrorLike {
  code: string;
  message: string;
  pos: readonly [number, number] | [number, number];
}

const SYNTAX_HINTS: Record<string, string> = {
  BAD_INDENT: 'check the indentation: entries of one map or list start in the same column, nested ones further right, and a multi-line value must be indented more than its key',
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tab characters in indentation',
  MISSING_CHAR: 'close the quote or bracket opened before this point',
  BLOCK_AS_IMPLICIT_KEY: 'a value cannot hold another `key: value` on the same line: put the nested map on its own, more indented lines, or quote the value',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line: join the lines or quote the key',
  BAD_SCALAR_START: 'quote the value: it starts with a character YAML reserves (such as @, `, %, | or >)',
  BAD_DQ_ESCAPE: 'fix the backslash escape in the double-quoted string, or use single quotes',
  MULTIPLE_DOCS: 'separate documents with a line containing only ---',
  BAD_DIRECTIVE: 'fix or remove the % directive line',
  UNEXPECTED_TOKEN: 'fix the YAML syntax at this position (a stray character, or text that should be quoted)',
};

const CLOSERS: Record<string, [close: string, open: string]> = { 'flow-map-end': ['}', '{'], 'flow-seq-end': [']', '['] };

/** At most `max` characters of `s`, marked when cut. */
function clip(s: string, max = 60): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** The text of the line `offset` is on, from `offset` (or its first non-blank character) on. */
function lineText(text: string, offset: number, fromStart: boolean): string {
  const start = fromStart ? text.lastIndexOf('\n', offset - 1) + 1 : offset;
  const end = text.indexOf('\n', offset);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '').trim();
}

export function explainYamlError(e: YamlErrorLike, text: string): { message: string; hint: string } {
  const first = e.message.split('\n')[0]!;
  const lower = first.charAt(0).toLowerCase() + first.slice(1);
  const at = e.pos[0];
  let m: RegExpExecArray | null;
  if (first.startsWith('Implicit map keys need to be followed by map values')) {
    const line = lineText(text, at, false);
    const glued = /^([^\s:#][^\s:]*):(\S.*)$/.exec(line);
    if (glued) return { message: `"${clip(line)}" is no "key: value" pair: YAML needs a space after a key's ":"`, hint: `write ${clip(`${glued[1]}: ${glued[2]}`)}` };
    const words = /^(\S+)\s+(.+)$/.exec(line);
    return {
      message: `"${clip(line)}" is no "key: value" line`,
      hint: words ? `write ${clip(`${words[1]}: ${words[2]}`)}, or start a list item with "- "` : `write ${clip(line)}: and its value after it (on the same line, or indented on the lines below)`,
    };
  }
  if (first.startsWith('A block sequence may not be used as an implicit map key')) {
    return {
      message: 'a "- " list item where the entries of a mapping ("key: value") are',
      hint: 'indent the item under the key whose list it is, or align it with the other "- " items of its list',
    };
  }
  if ((m = /^Unexpected (flow-map-end|flow-seq-end) token/.exec(first))) {
    const [close, open] = CLOSERS[m[1]!]!;
    return { message: `"${close}" closes no "${open}"`, hint: `remove it, or add the "${open}" it is meant to close` };
  }
  if (/^Unexpected \S+ at node end/.test(first)) {
    return { message: `"${clip(lineText(text, at, false), 40)}" after the end of a value`, hint: 'quote the whole value, this included, or remove what follows it' };
  }
  if ((m = /^Unexpected \S+ token in YAML (?:stream|document): "(.*)"$/.exec(first))) {
    return { message: `unexpected "${clip(m[1]!, 40)}" here`, hint: SYNTAX_HINTS.UNEXPECTED_TOKEN! };
  }
  if ((m = /^Flow (sequence|map) in block collection must be sufficiently indented and end with a ([\]}])/.exec(first))) {
    const [what, open] = m[1] === 'sequence' ? ['list', '['] : ['mapping', '{'];
    return {
      message: `a ${what} in ${open} ${m[2]} that is not closed, or has a line indented no further than its key`,
      hint: `close it with "${m[2]}", and indent the lines inside it further than the key it belongs to`,
    };
  }
  if (first.startsWith('Nested mappings are not allowed in compact mappings')) {
    const value = lineText(text, at, false);
    return {
      message: /^[^\s:][^:]*:\s/.test(`${value} `) ? `the value "${clip(value, 40)}" holds ": ", which makes it another key on the same line` : 'a value on its key\'s line holds ": ", which would make it another key',
      hint: SYNTAX_HINTS.BLOCK_AS_IMPLICIT_KEY!,
    };
  }
  if (first.startsWith('Block collections are not allowed within flow collections')) {
    return {
      message: 'a "key: value" or "- item" inside [ ] or { }, where items separated by commas go',
      hint: 'quote the item if it is text ("a: b"), or write the list in block style, one "- " item per line',
    };
  }
  if (first.startsWith('Implicit keys of flow sequence pairs need to be on a single line') && text.startsWith('- ', at)) {
    return { message: '"- " inside [ ]: the items of such a list are separated by commas', hint: 'remove the "- ", or quote the item if the dash belongs to its text' };
  }
  if ((m = /^Plain value cannot start with (?:flow indicator|reserved) character (.)/.exec(first))) {
    return { message: lower, hint: `quote the value: YAML reserves "${m[1]}" at the start of a value` };
  }
  if ((m = /^Block scalar header includes extra characters: (.*)$/.exec(first))) {
    return {
      message: `"${clip(m[1]!, 40)}" is no block scalar header: after | or > only an indentation digit and - or + may follow`,
      hint: 'put the text on the lines below, indented, or quote the value',
    };
  }
  if (e.code === 'DUPLICATE_KEY') {
    const key = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:#\n]*?)\s*:(?:\s|$)/.exec(text.slice(at))?.[1]?.trim();
    return { message: key ? `key ${/^["']/.test(key) ? key : `"${clip(key, 40)}"`} is given twice in this mapping` : 'a key is given twice in this mapping', hint: 'remove one of the two entries' };
  }
  return { message: lower, hint: SYNTAX_HINTS[e.code] ?? 'fix the YAML syntax at this position' };
}
