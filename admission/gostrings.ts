/** Go formatting helpers, so texts match upstream byte for byte. */

const SIMPLE_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

// Printable ASCII other than `"` and `\`: quoted as is.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** strconv.Quote / fmt's %q for a string. */
export function goQuote(text: string): string {
  if (PLAIN.test(text)) return `"${text}"`;
  let out = '"';
  for (const ch of text) {
    const simple = SIMPLE_ESCAPES[ch];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (cp === 0x20 || !NON_PRINTABLE.test(ch)) {
      out += ch;
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      // A lone surrogate is invalid UTF-8 to Go: it prints the replacement character.
      out += '\\ufffd';
    } else if (cp < 0x80) {
      out += `\\x${hex(cp, 2)}`;
    } else if (cp <= 0xffff) {
      out += `\\u${hex(cp, 4)}`;
    } else {
      out += `\\U${hex(cp, 8)}`;
    }
  }
  return out + '"';
}

/** Byte-wise (UTF-8) string order, as Go's sort.Strings. */
export function goCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ba, bb);
}

/** A field error as apimachinery's field.Error prints it. */
export interface FieldError {
  type: 'FieldValueInvalid' | 'FieldValueDuplicate' | 'FieldValueRequired' | 'FieldValueNotSupported';
  field: string;
  value: unknown;
  detail: string;
}

const TYPE_TEXT: Record<FieldError['type'], string> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueRequired: 'Required value',
  FieldValueNotSupported: 'Unsupported value',
};

function formatBadValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** field.Error.ErrorBody(). */
export function fieldErrorBody(e: FieldError): string {
  let s = e.type === 'FieldValueRequired' ? TYPE_TEXT[e.type] : `${TYPE_TEXT[e.type]}: ${formatBadValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** field.Error.Error(). */
export function fieldErrorText(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** ErrorList.ToAggregate().Error(): duplicates dropped, several errors bracketed. */
export function aggregateErrors(errors: readonly FieldError[]): string {
  const seen = new Set<string>();
  for (const e of errors) seen.add(fieldErrorText(e));
  const msgs = [...seen];
  if (msgs.length === 1) return msgs[0]!;
  return `[${msgs.join(', ')}]`;
}
