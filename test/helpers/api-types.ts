/** The API types podsec decodes objects with (schemas/decode.schema.json), as tests read them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './shared.js';

type Node = { $ref?: string; properties?: Record<string, Node>; items?: Node };

/** The sources a Volume may name: its fields but its name. */
export function volumeSourcesOfTheApi(): string[] {
  const decode = JSON.parse(readFileSync(join(projectRoot, 'schemas', 'decode.schema.json'), 'utf8')) as { roots: Record<string, string>; $defs: Record<string, Node> };
  const deref = (n: Node | undefined): Node => (n?.$ref ? deref(decode.$defs[n.$ref.replace('#/$defs/', '')]) : n ?? {});
  const volume = deref(deref(deref(deref({ $ref: decode.roots.Pod }).properties?.spec).properties?.volumes).items);
  return Object.keys(volume.properties ?? {}).filter((k) => k !== 'name').sort();
}
