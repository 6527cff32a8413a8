/**
 * Seeded YAML (and JSON) manifests that exercise what kubectl's reading decides: YAML 1.1 scalar
 * resolution, quoting and escapes, block scalars, flow and block collections, anchors, merge
 * keys, tags, odd keys, comments, tabs, document markers, line ends, byte order marks; and, when
 * asked, small corruptions of valid text. Each manifest is an object of a kind no cluster knows
 * (example.com/v1 Foo) named by the caller, so that `kubectl annotate --local` reads it whole.
 */

export type Rand = () => number;

export interface GeneratedEntry {
  /** metadata.name; null for a document without content */
  name: string | null;
  /** the document's text, starting with its `---` line */
  text: string;
}

export interface GeneratedStream {
  entries: GeneratedEntry[];
  text: string;
}

export interface StreamOptions {
  /** share of documents given one random corruption (0 to 1) */
  corrupt?: number;
  /**
   * Leave out what podsec reads otherwise than kubectl on purpose (cli/manifest/README.md,
   * "Deliberate differences"): `...` right after a document.
   */
  settled?: boolean;
}

const WORDS = ['a', 'b', 'x', 'name', 'value', 'hello world', 'é ü', 'k8s.io/name', 'v1.2.3', '100m', '1Gi', 'x-y', 'a_b'];

// Plain scalars: every YAML 1.1 and 1.2 spelling that a resolver may treat specially.
const PLAIN = [
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'tRUE', 'yEs', 'oN', 'nO',
  '~', 'null', 'Null', 'NULL', 'nULL', '',
  '0', '-0', '+0', '00', '010', '0755', '08', '09', '-010', '0o17', '0O17', '0o8', '0b101', '-0b1', '+0b11', '0b2',
  '0x1F', '0X1f', '-0x10', '+0x10', '0xg', '0x', '0b', '0o', '1_000', '1__0', '1_', '_1', '0x_ff', '0b_1', '0_7', '-1_0',
  '1.5', '.5', '-.5', '+.5', '1.', '-1.', '1e3', '1E+3', '1e-3', '1.0e+3', '6.02E23', '.5_5', '1_000.5', '._5', '1.e5',
  '1e999', '-1e999', '.inf', '-.inf', '+.INF', '.Inf', '.nan', '.NaN', '.NAN', '.INf', '1.10', '1.0', '1.2.3', '.',
  '1:20', '190:20:30', '-1:30', '1:30.5', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10',
  '2002-12-14T21:59:43Z', '2002-1-1', '9007199254740993', '9223372036854775807', '9223372036854775808',
  '-9223372036854775808', '-9223372036854775809', '18446744073709551615', '18446744073709551616',
  '0xFFFFFFFFFFFFFFFF', '0x7FFFFFFFFFFFFFFF', '0x8000000000000000', '-0x8000000000000000', '-0x8000000000000001',
  '0x10000000000000000', '0777777777777777777777', '1e23', '1e21', '1e20', '123456789012345678901234567890',
  '0.1', '0.30000000000000004', '1e-7', '5e-324', '1.7976931348623157e308', '1.8e308', '4e-330', '0e0', '0.0', '-0.0',
  '+1', '++1', '+-1', '-', '--', '-x', 'x-', '<<', '=', 'a b', 'a  b', 'a#b', 'a #b', 'a:b', 'a: b', 'http://x:1/p?q#f',
  '?a', '? a', ':a', '%a', '@a', '`a', '!a', '&a x', '*a', '|a', '>a', "'a", '"a', 'a"b', "a'b", 'é', '\u00a0x', 'a\tb',
  'a ', 'a\t', 'x,y', 'x]', 'x}', '[x', '{x', '0x1p3', '1-2', '12e', '1e', 'e3', '1_e3', 'Infinity', 'NaN', '0.1_',
];

const KEYS = [
  'a', 'b', 'c', 'name', 'image', 'key with space', 'k.io/n', '-k', 'k-', 'k#h', 'k:x', 'x', 'y', 'n', 'yes', 'no', 'on',
  'off', 'true', 'False', '~', 'null', '1', '-1', '+1', '0x10', '010', '0o10', '0b10', '1_0', '1.5', '1.0', '1e3', '.5',
  '-0.0', '0.0', '1.10', '.inf', '-.inf', '.nan', '9223372036854775807', '9223372036854775808', '-9223372036854775808',
  '-9223372036854775809', '18446744073709551615', '18446744073709551616', '1e39', '3.4028235e38', '3.4028236e38', '1e-46',
  '123456789', '16777217', '0.1', '2001-12-14', '1:20', '<<', '=', '"yes"', "'1'", '"a\\tb"', '""', "''", '"<<"',
  '!!str 1', '!!int "3"', '!!binary aGk=', '!!null ~', '!foo k', '&ka k', '*ka', 'é', 'a\tb',
];

const ANCHORS = ['a', 'b', 'base', 'x-y', 'x_1', 'ka', 'A9'];
const ODD_ANCHORS = ['a.b', 'a:b', 'é', 'a/b', 'a]', 'a,b', '1'];

const TAGS = [
  '!!str', '!!int', '!!float', '!!bool', '!!null', '!!binary', '!!timestamp', '!!map', '!!seq', '!!merge', '!foo', '!',
  '!<tag:yaml.org,2002:str>', '!<tag:yaml.org,2002:int>', '!<!bar>', '!e!x', '!!set', '!!omap', '!!python/str', '!fo.o',
  // %-escapes: UTF-8 bytes go-yaml decodes, or refuses
  '!!%73tr', '!%C3%A9', '!%FF',
];

const DQ_PIECES = [
  'a', 'b c', ' ', 'é', '\\"', '\\\\', '\\/', '\\0', '\\a', '\\b', '\\t', '\\\t', '\\n', '\\v', '\\f', '\\r', '\\e', '\\ ',
  '\\N', '\\_', '\\L', '\\P', '\\x41', '\\xe9', '\\xFF', '\\x7f', '\\u00e9', '\\u20AC', '\\U0001F600', '\\U0010FFFF',
  '\\ud83d', '\\ud83d\\ude00', '\\u0000', '\\u2028', '\\u0085', "'", "\\'", '#', ': ', ' #', '\t', 'yes', '12', '\u00a0',
];
const DQ_BAD = ['\\q', '\\x4', '\\U00110000', '\\u00', '\\8', '\\', '\\uD800'];
const SQ_PIECES = ['a', 'b c', "''", ' ', '"', '\\', '\\n', '#', ' #', ': ', 'é', '\t', 'yes', '12'];

const FLOW_PLAIN = [
  'a', 'ALL', 'yes', 'off', '~', 'null', '1', '-1', '0x10', '010', '1.5', '1e3', '.inf', 'a b', '-x', 'http://x',
  'a:b', '-', 'a:', 'a :', 'é', '1.10', '9223372036854775808', '', '#c', 'a#b', 'a #b', '!x', '&a x', '*a', '<<', '?a',
];

const BLOCK_LINES = ['text', 'more text', '  indented', '    deeper', '# not a comment', 'yes', '', ' ', '   ', '\t tab', 'a\tb', 'x: y', '- item', '"q"', "'s'", '---x'];

const BASE64 = ['aGVsbG8=', 'aGk=', 'YQ==', '', 'not base64!', 'aGVsbG8', 'aGVs\n  bG8=', 'AAEC', '//79', 'YWJj\tZA==',
  // bytes that are not UTF-8 (a sequence cut short, a surrogate), a leading U+FEFF
  '8J+Y', '8J+YQQ==', '7aCA', '77u/eA=='];

class Gen {
  private anchors: string[] = [];
  private mapAnchors: string[] = [];

  constructor(private readonly r: Rand) {}

  choose(xs: readonly string[]): string {
    return this.pick(xs);
  }

  /** A plain scalar for a flow collection. */
  flowPlain(): string {
    return this.pick(FLOW_PLAIN);
  }

  chance(p: number): boolean {
    return this.r() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)];
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }

  reset(): void {
    this.anchors = [];
    this.mapAnchors = [];
  }

  /** A number-like plain scalar made up from parts. */
  number(): string {
    const sign = this.pick(['', '', '', '-', '+']);
    const digits = (set: string, n: number) => {
      let s = '';
      for (let i = 0; i < n; i++) {
        s += set[this.int(0, set.length - 1)];
        if (this.chance(0.05)) s += '_';
      }
      return s;
    };
    const len = this.chance(0.15) ? this.int(16, 30) : this.int(1, 6);
    switch (this.int(0, 6)) {
      case 0: return sign + '0x' + digits('0123456789abcdefABCDEF', len);
      case 1: return sign + '0o' + digits('01234567', len);
      case 2: return sign + '0b' + digits('01', len);
      case 3: return sign + '0' + digits('01234567', len);
      case 4: return sign + digits('0123456789', len) + (this.chance(0.5) ? '.' + digits('0123456789', this.int(0, 4)) : '');
      case 5: return sign + (this.chance(0.5) ? digits('0123456789', this.int(0, 3)) : '') + '.' + digits('0123456789', this.int(1, 3)) +
        this.pick(['e', 'E']) + this.pick(['', '+', '-']) + digits('0123456789', this.int(1, 3));
      default: return sign + digits('123456789', 1) + digits('0123456789', len);
    }
  }

  plain(): string {
    const c = this.r();
    if (c < 0.25) return this.number();
    if (c < 0.35) return this.pick(WORDS);
    return this.choose(PLAIN);
  }

  doubleQuoted(ind: number): string {
    let s = '"';
    const n = this.int(0, 5);
    for (let i = 0; i < n; i++) {
      const c = this.r();
      if (c < 0.03) s += this.pick(DQ_BAD);
      else if (c < 0.13) {
        // a line break inside the quotes: folded, or escaped
        if (this.chance(0.3)) s += this.pick([' ', '  ', '\t']);
        if (this.chance(0.3)) s += '\\';
        s += '\n';
        if (this.chance(0.3)) s += '\n';
        s += ' '.repeat(this.chance(0.9) ? ind + this.int(1, 3) : this.int(0, ind)) + (this.chance(0.1) ? '\t' : '');
      } else s += this.choose(DQ_PIECES);
    }
    return s + '"';
  }

  singleQuoted(ind: number): string {
    let s = "'";
    const n = this.int(0, 5);
    for (let i = 0; i < n; i++) {
      if (this.chance(0.1)) {
        if (this.chance(0.3)) s += ' ';
        s += '\n';
        if (this.chance(0.3)) s += '\n';
        s += ' '.repeat(this.chance(0.9) ? ind + this.int(1, 3) : this.int(0, ind));
      } else s += this.choose(SQ_PIECES);
    }
    return s + "'";
  }

  /** Node properties: an anchor and/or a tag, with a trailing space; may be empty. */
  props(kind: 'scalar' | 'map' | 'seq'): { text: string; anchor?: string } {
    let anchor: string | undefined;
    let tag = '';
    if (this.chance(0.12)) anchor = this.chance(0.03) ? this.pick(ODD_ANCHORS) : this.pick(ANCHORS);
    if (this.chance(0.1)) {
      if (kind === 'map') tag = this.pick(['!!map', '!!map', '!foo', '!', '!!seq', '!!str', '!!omap', '!!set']);
      else if (kind === 'seq') tag = this.pick(['!!seq', '!!seq', '!foo', '!', '!!map', '!!str', '!!omap']);
      else tag = this.pick(TAGS);
    }
    const parts = [anchor !== undefined ? '&' + anchor : '', tag].filter((x) => x !== '');
    if (this.chance(0.5)) parts.reverse();
    return { text: parts.length ? parts.join(' ') + ' ' : '', anchor };
  }

  define(anchor: string | undefined, isMap: boolean): void {
    if (anchor === undefined) return;
    this.anchors.push(anchor);
    if (isMap) this.mapAnchors.push(anchor);
    else this.mapAnchors = this.mapAnchors.filter((a) => a !== anchor);
  }

  alias(): string {
    if (this.anchors.length === 0 || this.chance(0.05)) return '*' + this.pick(ANCHORS);
    return '*' + this.pick(this.anchors);
  }

  comment(): string {
    return this.chance(0.1) ? this.choose([' # c', '  #c', '\t# c', ' #', ' # : - [']) : '';
  }

  /** An inline scalar (possibly over several lines, indented for a parent at column `ind`). */
  scalar(ind: number): string {
    const c = this.r();
    if (c < 0.55) {
      let s = this.plain();
      if (this.chance(0.04)) {
        // a plain scalar continued on more lines
        s = (s || 'x') + '\n' + (this.chance(0.2) ? '\n' : '') + ' '.repeat(this.chance(0.9) ? ind + this.int(1, 3) : ind) + this.pick(WORDS);
      }
      return s;
    }
    if (c < 0.75) return this.doubleQuoted(ind);
    if (c < 0.87) return this.singleQuoted(ind);
    if (c < 0.93) return this.alias();
    if (c < 0.97) return '!!binary ' + this.pick(BASE64);
    return this.pick(['!!str 12', '!!int "0x1F"', '!!float 1', '!!bool yes', '!!null ""', '!!int 1.5', '!!float 1e999',
      '!!timestamp 2001-12-14', '!!timestamp 2001-12-14T21:59:43.1Z', '!!timestamp x', '!!int 9223372036854775808',
      '!!float 0x10', '!!str', '!!int', '!!binary', '!foo', '! 12', '!!bool', '!!null', '!!float .inf', '!!merge x']);
  }

  blockScalar(ind: number, out: string[], head: string): void {
    const style = this.pick(['|', '>']);
    const chomp = this.pick(['', '', '-', '+']);
    const explicit = this.chance(0.25) ? String(this.int(this.chance(0.05) ? 0 : 1, 4)) : '';
    const header = style + (this.chance(0.5) ? chomp + explicit : explicit + chomp) + this.choose(['', '', '', ' # c', '  ', '\t']);
    out.push(head + header);
    const base = ind + (explicit !== '' ? Number(explicit) : this.int(1, 3));
    const n = this.int(0, 5);
    for (let i = 0; i < n; i++) {
      const l = this.choose(BLOCK_LINES);
      if (l === '' || l.trim() === '') out.push(this.chance(0.5) ? '' : ' '.repeat(this.int(0, base + 2)));
      else out.push(' '.repeat(this.chance(0.95) ? base : this.int(ind, base + 1)) + l);
    }
    const trail = this.int(0, 2);
    for (let i = 0; i < trail; i++) out.push(this.chance(0.7) ? '' : ' '.repeat(this.int(1, base + 1)));
  }

  flow(depth: number, ind: number): string {
    const seq = this.chance(0.5);
    const n = this.int(0, 4);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      let v: string;
      const c = this.r();
      if (depth < 3 && c < 0.2) v = this.flow(depth + 1, ind);
      else if (c < 0.3) v = this.doubleQuoted(ind);
      else if (c < 0.35) v = this.singleQuoted(ind);
      else if (c < 0.4) v = this.alias();
      else if (c < 0.45) v = this.props('scalar').text + this.flowPlain();
      else if (c < 0.55) v = this.number();
      else v = this.flowPlain();
      if (seq) {
        if (this.chance(0.08)) parts.push(`${this.flowPlain()}: ${v}`);
        else if (this.chance(0.03)) parts.push(`? ${v}`);
        else parts.push(v);
      } else {
        const k = this.chance(0.2) ? this.pick(['"k"', "'k'", '"a":', '? k']) : this.pick(KEYS.filter((x) => !x.includes('\t')));
        if (k === '"a":') parts.push(`"a":${v}`);
        else if (this.chance(0.05)) parts.push(k);
        else parts.push(`${k}:${this.chance(0.92) ? ' ' : ''}${v}`);
      }
    }
    const multi = this.chance(0.25);
    const pad = () => ' '.repeat(this.chance(0.9) ? ind + this.int(1, 3) : this.int(0, ind));
    let body: string;
    if (multi) {
      body = parts.map((p) => '\n' + pad() + p + (this.chance(0.1) ? ' # c' : '')).join(',');
      body += (this.chance(0.1) ? ',' : '') + '\n' + pad();
    } else {
      body = parts.join(this.pick([', ', ', ', ',', ' , ']));
      if (this.chance(0.05)) body += ',';
      if (this.chance(0.05)) body = ' ' + body + ' ';
    }
    if (this.chance(0.02)) body = this.pick([',', ', ,', 'a,,b']);
    return (seq ? '[' : '{') + body + (seq ? ']' : '}');
  }

  key(): string {
    const c = this.r();
    if (c < 0.9) return this.pick(KEYS);
    if (c < 0.95) return this.number();
    return this.doubleQuoted(0).replace(/\n[ \t]*/g, ' ');
  }

  /** The value after `head` (a key with its colon, or a `-`), for a parent at column `ind`. */
  value(head: string, ind: number, depth: number, out: string[], inSeq: boolean): void {
    const c = depth > 3 ? this.r() * 0.6 : this.r();
    const sep = this.chance(0.03) ? '\t' : ' ';
    if (c < 0.4) {
      const p = this.props('scalar');
      const s = this.scalar(ind);
      this.define(p.anchor, false);
      out.push(head + (s === '' && p.text === '' ? '' : sep + p.text + s) + (s.includes('\n') ? '' : this.comment()));
    } else if (c < 0.5) {
      const p = this.props('scalar');
      this.blockScalar(ind, out, head + ' ' + p.text);
      this.define(p.anchor, false);
    } else if (c < 0.6) {
      const p = this.props('map');
      out.push(head + ' ' + p.text + this.flow(0, ind) + this.comment());
      this.define(p.anchor, false);
    } else if (c < 0.8) {
      const p = this.props('map');
      out.push(head + (p.text ? ' ' + p.text.trimEnd() : '') + this.comment());
      this.map(ind + (this.chance(0.9) ? this.int(1, 4) : 0), depth + 1, out);
      this.define(p.anchor, true);
    } else if (c < 0.93) {
      const p = this.props('seq');
      out.push(head + (p.text ? ' ' + p.text.trimEnd() : '') + this.comment());
      this.seq(!inSeq && this.chance(0.4) ? ind : ind + this.int(1, 3), depth + 1, out);
      this.define(p.anchor, false);
    } else if (c < 0.97) {
      out.push(head + ' ' + this.alias());
    } else {
      out.push(head);
    }
  }

  map(ind: number, depth: number, out: string[], firstHead?: string): void {
    const n = this.int(1, 3);
    for (let i = 0; i < n; i++) {
      const sp = i === 0 && firstHead !== undefined ? firstHead : ' '.repeat(ind);
      if (i > 0 && this.chance(0.08)) out.push(' '.repeat(this.chance(0.8) ? ind : this.int(0, ind + 2)) + '# comment');
      if (i > 0 && this.chance(0.04)) out.push(this.chance(0.7) ? '' : ' '.repeat(this.int(0, 6)));
      const c = this.r();
      if (c < 0.06) {
        // a merge key
        const m = this.mapAnchors;
        let v: string;
        const d = this.r();
        if (m.length > 0 && d < 0.5) v = '*' + this.pick(m);
        else if (m.length > 1 && d < 0.7) v = `[*${this.pick(m)}, *${this.pick(m)}]`;
        else if (d < 0.85) v = '{p: 1, q: 2}';
        else v = this.pick(['*a', '[*a, 1]', '1', '[]', '{}', '~', '']);
        out.push(`${sp}${this.pick(['<<', '<<', '<<', '"<<"', '!!merge <<'])}: ${v}`);
        continue;
      }
      if (c < 0.09) {
        // an explicit key
        const k = this.pick(['k', '"k"', '[a, b]', '{a: 1}', '|\n' + ' '.repeat(ind + 2) + 'block', '', 'yes', '- x', '&ka k', '*ka']);
        out.push(`${sp}?${k === '' ? '' : ' ' + k}`);
        // its `:` now and then out of the column of the `?`, which go-yaml refuses
        if (this.chance(0.9)) this.value(' '.repeat(ind + (this.chance(0.05) ? 1 : 0)) + ':', ind, depth, out, false);
        continue;
      }
      let key = this.key();
      if (key.startsWith('&ka')) this.define('ka', false);
      if (key.startsWith('*') || key.startsWith('!')) key += this.chance(0.5) ? ' ' : '';
      this.value(`${sp}${key}:`, ind, depth, out, false);
    }
  }

  seq(ind: number, depth: number, out: string[]): void {
    const n = this.int(1, 4);
    const sp = ' '.repeat(ind);
    for (let i = 0; i < n; i++) {
      if (i > 0 && this.chance(0.05)) out.push(sp + '# comment');
      const c = this.r();
      if (c < 0.25 && depth < 4) this.map(ind + 2, depth + 1, out, sp + '-' + (this.chance(0.9) ? ' ' : '   '));
      else if (c < 0.32 && depth < 4) {
        out.push(`${sp}- - ${this.scalar(ind + 2)}`);
        out.push(`${sp}  - ${this.plain()}`);
      } else this.value(`${sp}-`, ind, depth, out, true);
    }
  }

  /** The content of spec: (after `spec:`), for column 0 keys. */
  spec(out: string[]): void {
    const c = this.r();
    if (c < 0.75) {
      out.push('spec:' + this.comment());
      this.map(this.pick([2, 2, 2, 1, 4]), 1, out);
    } else if (c < 0.85) {
      this.value('spec:', 0, 1, out, false);
    } else {
      out.push('spec:');
      this.seq(this.chance(0.5) ? 0 : 2, 1, out);
    }
  }

  document(name: string): string[] {
    this.reset();
    const out: string[] = [];
    if (this.chance(0.1)) out.push('# Source: x.yaml');
    switch (this.int(0, 3)) {
      case 0: out.push('apiVersion: example.com/v1', 'kind: Foo', `metadata: {name: ${name}}`); break;
      case 1: out.push('"apiVersion": example.com/v1', "kind: 'Foo'", 'metadata:', `  name: "${name}"`); break;
      default: out.push('apiVersion: example.com/v1', 'kind: Foo', 'metadata:', `  name: ${name}`);
    }
    this.spec(out);
    return out;
  }

  /** A JSON value (strict JSON unless `loose`). */
  json(depth: number): string {
    const c = depth > 3 ? this.r() * 0.7 : this.r();
    if (c < 0.25) {
      return this.pick(['0', '-0', '1', '-1', '1.0', '1.5', '1e3', '1E+3', '1e-3', '-0.0', '0.1', '9007199254740993', '9223372036854775807',
        '9223372036854775808', '18446744073709551615', '18446744073709551616', '-9223372036854775809', '1e23', '1e308', '1e400',
        '-1e400', '5e-324', '1e-400', '123456789012345678901234567890', '12.50']);
    }
    if (c < 0.35) return this.pick(['true', 'false', 'null']);
    if (c < 0.55) {
      let s = '"';
      for (let i = this.int(0, 4); i > 0; i--) {
        s += this.pick(['a', ' ', 'yes', 'é', '\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u00e9', '\\u0000', '\\ud83d\\ude00',
          '\\ud83d', '\\ude00x', '\\u2028', '~', '12', '<<', '&a', '*a', '# c', '\t']);
      }
      return s + '"';
    }
    const ws = () => this.pick(['', '', ' ', '\n  ', '\t']);
    if (c < 0.75) {
      const items: string[] = [];
      for (let i = this.int(0, 4); i > 0; i--) items.push(ws() + this.json(depth + 1) + ws());
      return '[' + items.join(',') + ']';
    }
    const items: string[] = [];
    for (let i = this.int(0, 4); i > 0; i--) {
      const k = this.pick(['a', 'b', 'yes', '1', '<<', '', 'é', 'a\\u0062', '~', 'null']);
      items.push(`${ws()}"${k}"${ws()}:${ws()}${this.json(depth + 1)}${ws()}`);
    }
    return '{' + items.join(',') + '}';
  }
}

/** Applies one random corruption to lines[from…] (the lines after the header). */
function corrupt(g: Gen, lines: string[], from: number): void {
  if (lines.length <= from) return;
  const i = g.int(from, lines.length - 1);
  const l = lines[i];
  const at = g.int(0, l.length);
  switch (g.int(0, 6)) {
    case 0: lines[i] = l.slice(0, at) + g.pick([':', '-', '"', "'", '[', ']', '{', '}', '\t', '#', ' ', '&', '*', '!', '|', '>', '%', '@', '`', ',', '?', '\\', '\n']) + l.slice(at); break;
    case 1: lines[i] = l.slice(0, at) + l.slice(at + 1); break;
    case 2: lines[i] = l.startsWith(' ') ? l.slice(1) : ' ' + l; break;
    case 3: lines[i] = '\t' + l; break;
    case 4: lines.splice(i, 0, l); break;
    case 5: if (i + 1 < lines.length) lines.splice(i, 2, l + ' ' + lines[i + 1].trimStart()); break;
    default: lines[i] = ' ' + l; break;
  }
}

/**
 * A YAML stream of `n` documents named `${prefix}0`, `${prefix}1`, …, with empty documents among
 * them. The entries are joined as they are, so that a caller may run any slice of them alone.
 */
export function yamlStream(r: Rand, prefix: string, n: number, options: StreamOptions = {}): GeneratedStream {
  const g = new Gen(r);
  const entries: GeneratedEntry[] = [];
  for (let i = 0; i < n; i++) {
    if (g.chance(0.03)) {
      // kubectl refuses `...` right after a `---` that ends a document (README: deliberate differences).
      entries.push({ name: null, text: g.pick(['---\n', '---\n# only a comment\n', '--- # c\n\n', ...(options.settled ? [] : ['---\n...\n'])]) });
    }
    const name = `${prefix}${i}`;
    let lines: string[];
    if (g.chance(0.06)) {
      // JSON in YAML
      const pretty = g.chance(0.5);
      lines = [`{"apiVersion": "example.com/v1", "kind": "Foo", "metadata": {"name": "${name}"},${pretty ? '\n ' : ''} "spec": ${g.json(0)}}`];
    } else {
      lines = g.document(name);
      if (options.corrupt && g.chance(options.corrupt)) corrupt(g, lines, lines.findIndex((l) => l.startsWith('spec:')) + 1);
    }
    // kubectl also splits at `---#…` and `---` followed by Unicode spaces, which YAML reads as text.
    let text = g.choose(['---', '---', '---', '--- # doc', '---\t', '---  ', '---# doc', '---\u00a0']) + '\n';
    if (g.chance(0.03)) text += '\ufeff';
    if (g.chance(0.05)) text += '# comment\n\n';
    // Two marks at the start of a file (a tool adding one to a file that has one): kubectl's file
    // reader drops the first, go-yaml the second. Always in the sample compared with kubectl.
    if (i === 0 && (options.settled || g.chance(0.2))) text = '\ufeff\ufeff' + text.replace(/^---.*\n/, '');
    text += lines.join('\n') + '\n';
    if (g.chance(0.03)) text += g.pick(['...\n', '# trailing\n', '\n\n', '...\n# c\n']);
    entries.push({ name, text });
  }
  return { entries, text: entries.map((e) => e.text).join('') };
}

/** The same entries' text with the whole-file variations a user's files have. */
export function fileText(r: Rand, entries: readonly GeneratedEntry[]): string {
  const g = new Gen(r);
  let text = entries.map((e) => e.text).join('');
  if (g.chance(0.1)) text = text.slice(0, -1);
  if (g.chance(0.1)) text = text.replace(/\n/g, '\r\n');
  if (g.chance(0.05)) text = '\ufeff' + text;
  return text;
}

/** Concatenated JSON objects, as kubectl reads a file whose first character is `{`. */
export function jsonStream(r: Rand, prefix: string, n: number): GeneratedStream {
  const g = new Gen(r);
  const entries: GeneratedEntry[] = [];
  for (let i = 0; i < n; i++) {
    const name = `${prefix}${i}`;
    const nl = g.chance(0.5) ? '\n' : ' ';
    let text = `{"apiVersion": "example.com/v1",${nl}"kind": "Foo", "metadata": {"name": "${name}"},${nl}"spec": ${g.json(0)}}`;
    if (g.chance(0.08)) {
      const at = g.int(text.indexOf('"spec"') + 8, text.length - 1);
      text = text.slice(0, at) + g.pick([',', '"', '}', ']', '\\', ' ', 'x', '\n']) + text.slice(at + g.int(0, 1));
    }
    // A space that is Go's but not JSON's before an object: kubectl's JSON decoder refuses it.
    if (g.chance(0.05)) text = '\u00a0' + text;
    entries.push({ name, text: text + g.pick(['\n', '\n', '', '\n\n', ' ']) });
  }
  return { entries, text: entries.map((e) => e.text).join('') };
}
