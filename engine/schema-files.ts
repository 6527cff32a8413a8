import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The file of a schema in the package's `schemas/` folder (`decode`: schemas/decode.schema.json). */
export function schemaFile(name: string): string {
  // The sources (tests) are one folder below the package, dist/'s modules two.
  const near = fileURLToPath(new URL(`../schemas/${name}.schema.json`, import.meta.url));
  return existsSync(near) ? near : fileURLToPath(new URL(`../../schemas/${name}.schema.json`, import.meta.url));
}

/** The text of a schema in the package's `schemas/` folder. */
export function schemaText(name: string): string {
  return readFileSync(schemaFile(name), 'utf8');
}
