/** Machine-readable report; its shape is schemas/report.schema.json. */
import type { Report } from './model.js';

/**
 * The second `#` of `##[`: GitHub's runner still reads `##[command]data` (the old form of
 * workflow commands, `##[error]`, `##[add-mask]`, `##[stop-commands]`) anywhere in a line of a
 * step's output, stdout or stderr, not only at its start. Its comparison is culture-sensitive,
 * so characters it ignores (zero-width ones) between the three do not stop it either.
 */
export const OLD_COMMAND = /(?<=#\p{Default_Ignorable_Code_Point}*)#(?=\p{Default_Ignorable_Code_Point}*\[)/gu;

const MAYBE_OLD_COMMAND = /#[^\0-\x7f]*#[^\0-\x7f]*\[/g;

/**
 * JSON text with the `#` of every `##[` written `\u0023`: the same JSON, but a report printed in
 * a GitHub Actions log holds no old-form workflow command (`##[stop-commands]…` in a capability
 * would stop the runner reading the step's annotations). In JSON, `#` occurs only inside strings.
 */
export function withoutOldCommands(json: string): string {
  // The Unicode-aware regexp is slow on a big report: a plain one first tells whether any `#…#…[`
  // is there at all, the characters between being non-ASCII (every ignorable one is).
  const first = json.indexOf('#');
  if (first === -1) return json;
  MAYBE_OLD_COMMAND.lastIndex = first;
  return MAYBE_OLD_COMMAND.test(json) ? json.replace(OLD_COMMAND, '\\u0023') : json;
}

const HOLDER_HEAD = '{\n  "k": [\n'.length;
const HOLDER_TAIL = '\n  ]\n}'.length;

/**
 * Gives `JSON.stringify(report, null, 2)` and a line break to `emit`, in pieces of one list item
 * each: a report of many objects can be longer than the longest string V8 makes.
 */
export function jsonReport(report: Report, emitText: (piece: string) => void): void {
  const emit = (piece: string) => emitText(withoutOldCommands(piece));
  const fields = Object.entries(report).filter(([, value]) => value !== undefined && typeof value !== 'function');
  emit('{\n');
  for (const [i, [key, value]] of fields.entries()) {
    const head = `  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length > 0) {
      emit(`${head}[\n`);
      // Each item as JSON.stringify writes it two levels down, indented by four spaces (null when
      // it has no JSON form), cut out of a holder at that depth.
      const holder: { k: unknown[] } = { k: [undefined] };
      for (let j = 0; j < value.length; j++) {
        holder.k[0] = value[j];
        const item = JSON.stringify(holder, null, 2);
        emit(`${item.slice(HOLDER_HEAD, -HOLDER_TAIL)}${j < value.length - 1 ? ',' : ''}\n`);
      }
      emit('  ]');
    } else {
      emit(head + JSON.stringify(value, null, 2).replace(/\n/g, '\n  '));
    }
    emit(i < fields.length - 1 ? ',\n' : '\n');
  }
  emit('}\n');
}
