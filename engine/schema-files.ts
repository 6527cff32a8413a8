import { readFileSync } from 'node:fs';

/** The text of a schema in the package's `schemas/` folder (`decode`: schemas/decode.schema.json). */
export function schemaText(name: string): string {
  // The same relative path works from the sources (tests) and from dist/.
  try {
    return readFileSync(new URL(`../schemas/${name}.schema.json`, import.meta.url), 'utf8');
  } catch {
    return readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), 'utf8');
  }
}
