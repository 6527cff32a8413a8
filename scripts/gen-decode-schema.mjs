// Writes schemas/decode.schema.json: the JSON types of every field of the objects the webhook
// decodes (Pod, the pod controllers, Namespace), from the `kubernetes-types` package (generated
// from Kubernetes' OpenAPI). Fields added to the API since that package's version come from the
// models of the newest `@kubernetes/client-node` (the dev dependency `kubernetes-models-newest`:
// only its model files are read, so it need not run on this Node; package.json overrides its
// undici with one whose engines allow Node 20), generated from a newer OpenAPI; fields it no
// longer has are left out. As Go's JSON decoder checks them: unknown fields and missing required ones are
// fine, null is the zero value, numbers are integers (these APIs have no floating-point fields),
// a Quantity may be a number or a string that parses as one (`format: quantity`), a metav1.Time
// is a string Go's time.Parse reads as RFC 3339 (`format: time`), and an integer must fit its
// Go type (`format: int32`, `int64`, `int-or-string`).
//
//   node scripts/gen-decode-schema.mjs [--check]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
/**
 * Aliases of string whose Go types decode with their own UnmarshalJSON: a quantity may be a
 * number too, and its text must parse; a time (metav1.Time) must be RFC 3339 as Go's
 * time.Parse reads it.
 */
const QUANTITY = { type: ['string', 'number', 'null'], format: 'quantity' };
const TIME = { type: ['string', 'null'], format: 'time' };
const SPECIAL = { 'api.resource.Quantity': QUANTITY, 'meta.v1.Time': TIME };

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

// client-node names a model by version and kind (V1PodSpec), with the group in front only where
// two groups share a name (CoreV1ResourceClaim).
const clientRoot = dirname(require.resolve('kubernetes-models-newest/package.json'));
const clientVersion = JSON.parse(readFileSync(join(clientRoot, 'package.json'), 'utf8')).version;
const modelsDir = join(clientRoot, 'dist', 'gen', 'models');
// The models' header names the Kubernetes release whose OpenAPI they were generated from.
const apiRelease = /OpenAPI spec version: (?:release-|v)(\d+\.\d+)/.exec(readFileSync(join(modelsDir, 'V1PodSpec.js'), 'utf8'))?.[1];
if (!apiRelease) throw new Error(`${modelsDir}/V1PodSpec.js does not say which Kubernetes release it was generated from`);
const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
function attributesOf(model) {
  const file = join(modelsDir, `${model}.js`);
  if (!existsSync(file)) return undefined;
  return require(file)[model].getAttributeTypeMap();
}
function modelOf(id) {
  const [group, version, name] = id.split('.').slice(-3);
  const prefixed = `${capital(group)}${capital(version)}${name}`;
  return existsSync(join(modelsDir, `${prefixed}.js`)) ? prefixed : `${capital(version)}${name}`;
}
const idOfModel = new Map(Object.keys(defs).map((id) => [modelOf(id), id]));
const added = [];
function clientType(type, format, group) {
  let m;
  if (type === 'string') return { type: ['string', 'null'] };
  // The client models write metav1.Time and MicroTime (parsed with another layout) both as Date.
  if (type === 'Date') throw new Error('@kubernetes/client-node: a new Date field: add it to CLIENT_GO_TYPES as metav1.Time, or teach this script MicroTime');
  if (type === 'boolean') return { type: ['boolean', 'null'] };
  if (type === 'number') {
    if (format === 'double' || format === 'float') return { type: ['number', 'null'] };
    return INTEGER_FORMATS.has(format) ? { type: ['integer', 'null'], format } : { type: ['integer', 'null'] };
  }
  if (type === 'IntOrString') return { type: ['integer', 'string', 'null'], format: 'int-or-string' };
  if (type === 'any') return {};
  if ((m = /^Array<(.+)>$/.exec(type))) return { type: ['array', 'null'], items: clientType(m[1], format, group) };
  if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) return { type: ['object', 'null'], additionalProperties: clientType(m[1], '', group) };
  if ((m = /^(?:[A-Z][a-z]+)?(V\d\w*?)([A-Z]\w*)$/.exec(type))) {
    let id = idOfModel.get(type);
    if (!id) {
      // A type new since kubernetes-types: it lives in the group of the field that uses it.
      id = `${group}.${m[1].toLowerCase()}.${m[2]}`;
      idOfModel.set(type, id);
      defs[id] = null;
      defs[id] = { type: ['object', 'null'], properties: clientProperties(type, {}, group, id) };
    }
    return { $ref: `#/$defs/${id}` };
  }
  throw new Error(`@kubernetes/client-node: unsupported type ${type}`);
}
// Go's integer types: a number outside their range does not decode. kubernetes-types says only
// "number"; the client models keep the OpenAPI format.
const INTEGER_FORMATS = new Set(['int32', 'int64']);
function addIntegerFormat(node, a) {
  const target = /^Array<number>$/.test(a.type) ? node.items : node;
  if (!target?.type) return;
  if (a.type === 'IntOrString' && target.type.includes('integer')) target.format = 'int-or-string';
  else if (INTEGER_FORMATS.has(a.format) && target.type.includes('integer')) target.format = a.format;
}

// Fields added since kubernetes-types whose Go type the client models write as a plain string
// (resource.Quantity) or Date (metav1.Time): their types in k8s.io/api. Review the added fields
// this script lists when updating the models.
const CLIENT_GO_TYPES = {
  // PodStatus.AllocatedResources ResourceList (map[ResourceName]resource.Quantity)
  'core.v1.PodStatus.allocatedResources': { type: ['object', 'null'], additionalProperties: QUANTITY },
  // NodeAllocatableResourceClaimStatus.Resources map[ResourceName]resource.Quantity
  'core.v1.NodeAllocatableResourceClaimStatus.resources': { type: ['object', 'null'], additionalProperties: QUANTITY },
};
const usedGoTypes = new Set();

function clientProperties(model, properties, group, id) {
  const attributes = attributesOf(model);
  if (!attributes) throw new Error(`@kubernetes/client-node has no model ${model}`);
  for (const a of attributes) {
    if (a.baseName in properties) {
      addIntegerFormat(properties[a.baseName], a);
      continue;
    }
    const field = `${id}.${a.baseName}`;
    properties[a.baseName] = CLIENT_GO_TYPES[field] ?? clientType(a.type, a.format, group);
    if (CLIENT_GO_TYPES[field]) usedGoTypes.add(field);
    added.push(field);
  }
  return properties;
}
// Fields the newer API dropped are unknown to its decoder, which ignores them.
const dropped = [];
for (const id of Object.keys(defs)) {
  const def = defs[id];
  const attributes = def?.properties && attributesOf(modelOf(id));
  if (!attributes) continue;
  const names = new Set(attributes.map((a) => a.baseName));
  for (const name of Object.keys(def.properties)) {
    if (!names.has(name)) {
      delete def.properties[name];
      dropped.push(`${id}.${name}`);
    }
  }
  clientProperties(modelOf(id), def.properties, id.split('.').slice(-3)[0], id);
}
for (const field of Object.keys(CLIENT_GO_TYPES)) {
  if (!usedGoTypes.has(field)) throw new Error(`CLIENT_GO_TYPES: ${field} is no field added from @kubernetes/client-node`);
}
// Keep only what the roots reach (a dropped field may have been the last use of its type).
const reached = new Set();
const reach = (node) => {
  if (!node || typeof node !== 'object') return;
  if (node.$ref) {
    const id = node.$ref.slice('#/$defs/'.length);
    if (reached.has(id)) return;
    reached.add(id);
    reach(defs[id]);
  }
  for (const value of Object.values(node)) if (typeof value === 'object') reach(value);
};
for (const r of Object.values(roots)) reach({ $ref: r });
for (const id of Object.keys(defs)) if (!reached.has(id)) delete defs[id];

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://podsec.dev/schemas/decode.schema.json',
  title: 'The JSON types of the objects the webhook decodes',
  description: `Generated by scripts/gen-decode-schema.mjs from kubernetes-types ${typesVersion}, with the fields added since from @kubernetes/client-node ${clientVersion} (Kubernetes ${apiRelease}'s API); do not edit. Types as Go's JSON decoder checks them; a quantity's and a time's text and an integer's range are checked by podsec (format: quantity, time, int32, int64, int-or-string).`,
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
  console.log(`wrote ${target} (${Object.keys(defs).length} definitions; ${added.length} fields from @kubernetes/client-node: ${added.join(', ')}; dropped since: ${dropped.join(', ') || 'none'})`);
}
