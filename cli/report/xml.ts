/** Writing XML text: attribute values and element content escaped, and what XML cannot hold made visible. */

// XML 1.0 holds no other characters, not even as references.
const NOT_XML = /[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };

function visible(s: string): string {
  return s.replace(NOT_XML, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** Element content. */
export function xmlContent(s: string): string {
  return visible(s).replace(/[&<>]/g, (c) => XML_ESCAPES[c]!);
}

/** Attributes, in order, leaving out those undefined; line breaks stay references (a parser would make them spaces). */
export function xmlAttributes(values: Record<string, string | number | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) out += ` ${name}="${visible(String(value)).replace(/[&<>"'\n\r\t]/g, (c) => XML_ESCAPES[c]!)}"`;
  }
  return out;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * Names test cases so that no two in a suite share a class and name: GitLab keys a case by
 * suite, class and name, and keeps only the last of those that share one. The second is
 * `name #2`, and so on, in the order given.
 */
export function distinctNames(): (classname: string, name: string) => string {
  const seen = new Map<string, number>();
  return (classname, name) => {
    const key = `${classname}\n${name}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? name : `${name} #${n}`;
  };
}
