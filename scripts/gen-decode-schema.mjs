// Writes schemas/decode.schema.json: the JSON types of every field of the objects the webhook
// decodes (Pod, the pod controllers, Namespace), from the `kubernetes-types` package (generated
// from Kubernetes' OpenAPI). Types only, as Go's JSON decoder checks them: unknown fields and
// missing required ones are fine, null is the zero value, numbers are integers (these APIs have
// no floating-point fields), a Quantity may be a string or a number.
//
//   node scripts/gen-decode-schema.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const typesRoot = dirname(require.resolve('kubernetes-types/package.json'));
const typesVersion = JSON.parse(readFileSync(join(typesRoot, 'package.json'), 'utf8')).version;

/** The objects to decode, by definition name. */
const ROOTS = {
  'core/v1': ['Pod', 'PodTemplate', 'ReplicationController', 'Namespace'],
  'apps/v1': ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'],
  'batch/v1': ['Job', 'CronJob'],
};
/** Aliases of string that Go decodes from more than strings. */
const SPECIAL = { 'api.resource.Quantity': { type: ['string', 'number', 'null'] } };

const files = new Map(); // module ('core/v1') -> { decls: Map<name, node>, imports: Map<name, module> }
function load(mod) {
  let f = files.get(mod);
  if (f) return f;
  const text = readFileSync(join(typesRoot, `${mod}.d.ts`), 'utf8');
  const source = ts.createSourceFile(`${mod}.d.ts`, text, ts.ScriptTarget.Latest, true);
  f = { decls: new Map(), imports: new Map() };
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st)) {
      const from = join(dirname(mod), st.moduleSpecifier.text).replace(/\\/g, '/');
      for (const el of st.importClause?.namedBindings?.elements ?? []) f.imports.set(el.name.text, from);
    } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
      f.decls.set(st.name.text, st);
    }
  }
  files.set(mod, f);
  return f;
}

const defs = {};
function ref(mod, name) {
  const f = load(mod);
  if (!f.decls.has(name)) {
    const from = f.imports.get(name);
    if (!from) throw new Error(`${mod}: cannot resolve ${name}`);
    return ref(from, name);
  }
  // No "/" in names: they are JSON pointer segments in $ref.
  const id = `${mod.replace(/\//g, '.')}.${name}`;
  if (SPECIAL[id]) return SPECIAL[id];
  if (!(id in defs)) {
    defs[id] = null; // reserve: definitions refer to each other
    defs[id] = definition(mod, f.decls.get(name));
  }
  return { $ref: `#/$defs/${id}` };
}

function definition(mod, decl) {
  if (ts.isTypeAliasDeclaration(decl)) return typeOf(mod, decl.type);
  const members = decl.members.filter(ts.isPropertySignature);
  // An empty interface (RawExtension, FieldsV1) holds free-form JSON.
  if (members.length === 0) return {};
  const properties = {};
  for (const m of members) properties[m.name.text ?? m.name.getText()] = typeOf(mod, m.type);
  return { type: ['object', 'null'], properties };
}

function typeOf(mod, node) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { type: ['string', 'null'] };
    case ts.SyntaxKind.NumberKeyword:
      return { type: ['integer', 'null'] };
    case ts.SyntaxKind.BooleanKeyword:
      return { type: ['boolean', 'null'] };
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return {};
  }
  if (ts.isLiteralTypeNode(node)) return typeof node.literal.text === 'string' ? { type: ['string', 'null'] } : {};
  if (ts.isUnionTypeNode(node)) {
    const types = new Set(['null']);
    for (const t of node.types) for (const x of typeOf(mod, t).type ?? []) types.add(x);
    return { type: [...types].sort((a, b) => (a === 'null') - (b === 'null')) };
  }
  if (ts.isArrayTypeNode(node)) return { type: ['array', 'null'], items: typeOf(mod, node.elementType) };
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    if (index) return { type: ['object', 'null'], additionalProperties: typeOf(mod, index.type) };
    return {};
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    if (name === 'Array') return { type: ['array', 'null'], items: typeOf(mod, node.typeArguments[0]) };
    if (name === 'Record') return { type: ['object', 'null'], additionalProperties: typeOf(mod, node.typeArguments[1]) };
    return ref(mod, name);
  }
  throw new Error(`${mod}: unsupported type ${ts.SyntaxKind[node.kind]}: ${node.getText()}`);
}

const roots = {};
for (const [mod, names] of Object.entries(ROOTS)) for (const name of names) roots[name] = ref(mod, name).$ref;
const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://podsec.dev/schemas/decode.schema.json',
  title: 'The JSON types of the objects the webhook decodes',
  description: `Generated by scripts/gen-decode-schema.mjs from kubernetes-types ${typesVersion}; do not edit. Types only, as Go's JSON decoder checks them.`,
  roots,
  $defs: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))),
};
const text = JSON.stringify(schema, null, 1) + '\n';
const target = join(root, 'schemas', 'decode.schema.json');
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (current !== text) {
    console.error(`${target} is out of date: run node scripts/gen-decode-schema.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target} (${Object.keys(defs).length} definitions)`);
}
