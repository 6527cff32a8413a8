/** The HTTPS admission server: AdmissionReview handling, health, metrics, reloads, shutdown. */
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import tls from 'node:tls';
import type net from 'node:net';
import { Admission, type AdmissionAttributes, type AdmissionResponse, type AdmissionResult, type NamespaceLike, type PodEvaluator, type PodLike } from '../admission/admission.js';
import { ConfigError, configProblemText, loadAdmissionConfigFile, type AdmissionConfig, defaultAdmissionConfig } from '../admission/config.js';
import { levelVersionString } from '../admission/policy.js';
import { parseJsonValue, skipJsonSpace } from '../cli/manifest/json.js';
import type { PolicyVersion } from '../engine/version.js';
import { FastPath, type FastConnection } from './http1.js';
import { createLogger, type Logger } from './log.js';
import { buildSniMap, lookupSni, pairContext, pemPairProblem, type NamedCertKey } from './tlsopts.js';
import { Metrics } from './metrics.js';

export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;
const REVIEW_API_VERSION = 'admission.k8s.io/v1';
const EXCHANGE = Symbol('exchange');
// /healthz/ping: the check the apiserver's healthz handlers always have, which probes may name.
const SPECIAL_PATHS = new Set(['/healthz', '/healthz/ping', '/livez', '/readyz', '/metrics']);

/** As upstream compares it: exactly `application/json`, which is what the API server sends. */
function isJsonType(ctype: string): boolean {
  return ctype === 'application/json';
}
const EMPTY = Buffer.alloc(0);

export interface ServerOptions {
  certFile: string;
  keyFile: string;
  bindAddress?: string;
  /** 0 picks a free port. */
  port?: number;
  minTLSVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Node `ciphers` option (see openSSLCiphers); OpenSSL's defaults when absent. */
  ciphers?: string;
  /** More certificates, chosen by SNI; re-read when they change, like the main pair. */
  sniCertKeys?: NamedCertKey[];
  evaluator: PodEvaluator;
  /** Re-read when it changes; the last valid content stays in force. */
  configFile?: string;
  /** Initial configuration (otherwise loaded from configFile, or the defaults). */
  config?: AdmissionConfig;
  getNamespace(name: string, deadline?: number): NamespaceLike | Promise<NamespaceLike>;
  listPods(namespace: string, signal: AbortSignal): Promise<PodLike[]>;
  /** Ready once the namespace cache has synced. */
  isReady?: () => boolean;
  logger?: Logger;
  /** Poll interval for the watched files, a fallback for missed change events. */
  reloadIntervalMs?: number;
  apiVersion?: PolicyVersion;
  maxRequestBytes?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  podCheckTimeoutMs?: number;
  maxPodsToCheck?: number;
}

export interface RunningServer {
  port: number;
  server: https.Server;
  metrics: Metrics;
  /** Checks the certificate and configuration files now. */
  reload(): void;
  /** Stops accepting, lets in-flight requests finish (up to timeoutMs), then closes. */
  close(timeoutMs?: number): Promise<void>;
}

class BadInput extends Error {
  constructor(
    message: string,
    readonly httpCode = 400,
  ) {
    super(message);
  }
}

/**
 * Go's time.ParseDuration, for `?timeout=`. Returns milliseconds or undefined. Its micro signs
 * (U+00B5, U+03BC) are escaped: a non-ASCII character makes V8 hold the command line's whole
 * script as two-byte text (see scripts/bundle-cli.js).
 */
export function parseGoDuration(text: string): number | undefined {
  const NANOS: Record<string, bigint> = { ns: 1n, us: 1_000n, '\u00b5s': 1_000n, '\u03bcs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
  // As Go: the sign comes off first, then a bare zero needs no unit.
  if (/^[-+]?0$/.test(text)) return 0;
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+$/.exec(text);
  if (!m) return undefined;
  // In int64 nanoseconds, as Go keeps a duration: a longer one (about 292 years) is invalid.
  let total = 0n;
  const re = /(\d*)(?:\.(\d*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/g;
  let part: RegExpExecArray | null;
  while ((part = re.exec(text))) {
    const unit = NANOS[part[3]!]!;
    const fraction = part[2] ? part[2].slice(0, 18) : '';
    total += BigInt(part[1] || '0') * unit + (fraction ? (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length) : 0n);
  }
  if (total > (m[1] === '-' ? 1n << 63n : (1n << 63n) - 1n)) return undefined;
  const ms = Number(total) / 1e6;
  return m[1] === '-' ? -ms : ms;
}

// Go's decoder keeps an integer literal exact and reads a lone surrogate escape as U+FFFD;
// JSON.parse does neither. A body that may hold either (rare: the API server sends no integer
// past int64) is read by podsec's own JSON reader, which does both.
const GO_JSON_MAX_DEPTH = 10_000;

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/**
 * Whether JSON.parse may read the body otherwise than Go: a number doubles round to ±2^63 (the
 * only one whose verdict depends on digits they lose; its digits all start so), or a surrogate
 * escape. Cheap: a search for any long run of digits cost as much as parsing the body.
 */
function needsExactReading(text: string): boolean {
  return text.includes('22337203685477') || SURROGATE_ESCAPE.test(text);
}

export function parseReview(text: string): unknown {
  if (!needsExactReading(text)) return JSON.parse(text);
  const { value, end } = parseJsonValue(text, skipJsonSpace(text, 0), null, () => {}, 0, GO_JSON_MAX_DEPTH);
  if (skipJsonSpace(text, end) !== text.length) throw new SyntaxError('data after the JSON value');
  return value;
}

function str(v: unknown, what: string, required = false): string {
  if (v === undefined || v === null) {
    if (required) throw new BadInput(`malformed AdmissionReview: ${what} is required`);
    return '';
  }
  if (typeof v !== 'string') throw new BadInput(`malformed AdmissionReview: ${what} must be a string`);
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// The Go types of an AdmissionReview's own fields (k8s.io/api/admission/v1): upstream's decoder
// refuses the whole review when one of them does not fit. 'x' is a RawExtension (any JSON).
type GoType = 's' | 'b' | 'i32' | 'i64' | 'bytes' | 'x' | { list: GoType } | { map: GoType } | { struct: Record<string, GoType> };
const GVK: GoType = { struct: { group: 's', version: 's', kind: 's' } };
const GVR: GoType = { struct: { group: 's', version: 's', resource: 's' } };
const STATUS: GoType = {
  struct: {
    kind: 's',
    apiVersion: 's',
    metadata: { struct: { selfLink: 's', resourceVersion: 's', continue: 's', remainingItemCount: 'i64' } },
    status: 's',
    message: 's',
    reason: 's',
    details: { struct: { name: 's', group: 's', kind: 's', uid: 's', causes: { list: { struct: { reason: 's', message: 's', field: 's' } } }, retryAfterSeconds: 'i32' } },
    code: 'i32',
  },
};
const REVIEW_TYPE: GoType = {
  struct: {
    apiVersion: 's',
    kind: 's',
    request: {
      struct: {
        uid: 's',
        kind: GVK,
        resource: GVR,
        subResource: 's',
        requestKind: GVK,
        requestResource: GVR,
        requestSubResource: 's',
        name: 's',
        namespace: 's',
        operation: 's',
        userInfo: { struct: { username: 's', uid: 's', groups: { list: 's' }, extra: { map: { list: 's' } } } },
        object: 'x',
        oldObject: 'x',
        dryRun: 'b',
        options: 'x',
      },
    },
    response: { struct: { uid: 's', allowed: 'b', patch: 'bytes', patchType: 's', status: STATUS, auditAnnotations: { map: 's' }, warnings: { list: 's' } } },
  },
};
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A Go type's fit test (null fits any) as one function generated once: every review is tested,
 * and reading the type's fields by name costs less than walking the review's keys. A field whose
 * name Object.prototype also has is read only as an own property. goTypeProblem words a misfit.
 */
function compileGoFits(root: GoType): (v: unknown) => boolean {
  let n = 0;
  const test = (t: GoType, v: string): string => {
    if (t === 'x') return '';
    if (t === 's' || t === 'b') return `if (${v} != null && typeof ${v} !== '${t === 's' ? 'string' : 'boolean'}') return false;`;
    if (typeof t === 'string') return `if (${v} != null && P(${v}, '${t}', '') !== undefined) return false;`;
    const e = `e${n++}`;
    if ('list' in t) {
      return `if (${v} != null) { if (!Array.isArray(${v})) return false; for (let i = 0; i < ${v}.length; i++) { const ${e} = ${v}[i]; ${test(t.list, e)} } }`;
    }
    if ('map' in t) {
      return `if (${v} != null) { if (!O(${v})) return false; for (const k in ${v}) { if (!H(${v}, k)) continue; const ${e} = ${v}[k]; ${test(t.map, e)} } }`;
    }
    const fields = Object.entries(t.struct).map(([k, ft], i) => {
      const read = k in Object.prototype ? `(H(${v}, ${JSON.stringify(k)}) ? ${v}[${JSON.stringify(k)}] : undefined)` : `${v}[${JSON.stringify(k)}]`;
      return `{ const ${e}_${i} = ${read}; ${test(ft, `${e}_${i}`)} }`;
    });
    return `if (${v} != null) { if (!O(${v})) return false; ${fields.join(' ')} }`;
  };
  return new Function('P', 'O', 'H', `return function (v) { ${test(root, 'v')} return true; };`)(goTypeProblem, isObject, Object.hasOwn) as (v: unknown) => boolean;
}

/** Where a value does not fit its Go type, as `request.userInfo.groups[0] must be a string`; null fits any. */
function goTypeProblem(v: unknown, t: GoType, path: string): string | undefined {
  if (v === null || t === 'x') return undefined;
  const want = (what: string) => `${path} must be ${what}`;
  switch (t) {
    case 's':
      return typeof v === 'string' ? undefined : want('a string');
    case 'b':
      return typeof v === 'boolean' ? undefined : want('a boolean');
    case 'i32':
      return Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31 ? undefined : want('a 32-bit integer');
    case 'i64':
      return Number.isSafeInteger(v) ? undefined : want('an integer');
    case 'bytes':
      // Go decodes []byte from base64 (line breaks ignored) or from an array of bytes.
      if (typeof v === 'string') return BASE64.test(v.replace(/[\r\n]/g, '')) ? undefined : want('base64');
      return Array.isArray(v) && v.every((b) => b === null || (Number.isInteger(b) && b >= 0 && b <= 255)) ? undefined : want('base64');
  }
  if ('list' in t) {
    if (!Array.isArray(v)) return want('an array');
    for (let i = 0; i < v.length; i++) {
      const p = goTypeProblem(v[i], t.list, `${path}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (!isObject(v)) return want('an object');
  if ('map' in t) {
    for (const [k, item] of Object.entries(v)) {
      const p = goTypeProblem(item, t.map, `${path}[${JSON.stringify(k)}]`);
      if (p) return p;
    }
    return undefined;
  }
  for (const [k, ft] of Object.entries(t.struct)) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    const p = goTypeProblem(v[k], ft, path ? `${path}.${k}` : k);
    if (p) return p;
  }
  return undefined;
}

const reviewFits = compileGoFits(REVIEW_TYPE);

/** Turns a review's request into admission attributes; throws BadInput for a malformed one. */
export function requestAttributes(request: Record<string, unknown>, deadline: number | undefined): AdmissionAttributes {
  // Any operation decodes upstream (its type is a string); only UPDATE is treated apart.
  const operation = str(request.operation, 'request.operation');
  const resource = isObject(request.resource) ? request.resource : {};
  const kind = request.kind;
  if (kind !== undefined && kind !== null && !isObject(kind)) throw new BadInput('malformed AdmissionReview: request.kind must be an object');
  const userInfo = request.userInfo;
  if (userInfo !== undefined && userInfo !== null && !isObject(userInfo)) throw new BadInput('malformed AdmissionReview: request.userInfo must be an object');
  const attrs: AdmissionAttributes = {
    operation,
    group: str(resource.group, 'request.resource.group'),
    version: str(resource.version, 'request.resource.version'),
    resource: str(resource.resource, 'request.resource.resource'),
    // Upstream's attributes report requestSubResource, the subresource the client asked for.
    subresource: str(request.requestSubResource, 'request.requestSubResource'),
    kindGroup: isObject(kind) ? str(kind.group, 'request.kind.group') : '',
    kind: isObject(kind) ? str(kind.kind, 'request.kind.kind') || undefined : undefined,
    // Defaults for objects without apiVersion or kind; a request without a kind gives none.
    kindVersion: isObject(kind) ? str(kind.version, 'request.kind.version') : '',
    namespace: str(request.namespace, 'request.namespace'),
    name: str(request.name, 'request.name'),
    username: isObject(userInfo) ? str(userInfo.username, 'request.userInfo.username') : '',
    object: request.object,
    oldObject: request.oldObject,
  };
  if (deadline !== undefined) attrs.deadline = deadline;
  return attrs;
}

const REVIEW_PREFIX = `{"apiVersion":"${REVIEW_API_VERSION}","kind":"AdmissionReview","response":{"uid":`;

/** The same bytes as JSON.stringify of the review, without building the wrapper objects. */
export function reviewBody(uid: string, response: AdmissionResponse): string {
  let out = REVIEW_PREFIX + JSON.stringify(uid) + (response.allowed ? ',"allowed":true' : ',"allowed":false');
  if (response.status) out += ',"status":' + JSON.stringify(response.status);
  if (response.warnings && response.warnings.length > 0) out += ',"warnings":' + JSON.stringify(response.warnings);
  const ann = response.auditAnnotations;
  if (ann) {
    const text = JSON.stringify(ann);
    if (text !== '{}') out += ',"auditAnnotations":' + text;
  }
  return out + '}}';
}

/**
 * The fields of a decision's log line, as JSON.stringify would write them (undefined ones
 * left out), built directly.
 */
export function decisionLogFields(uid: string, attrs: AdmissionAttributes, result: AdmissionResult, durationMs: number): string {
  const r = result.response;
  const ann = r.auditAnnotations;
  const policy = ann?.['enforce-policy'] ?? (result.policy ? levelVersionString(result.policy.enforce) : undefined);
  let f = `"uid":${JSON.stringify(uid)},"kind":${JSON.stringify(attrs.kind ?? attrs.resource)},"namespace":${JSON.stringify(attrs.namespace)},"name":${JSON.stringify(attrs.name)},"operation":${JSON.stringify(attrs.operation)}`;
  if (attrs.subresource) f += `,"subresource":${JSON.stringify(attrs.subresource)}`;
  f += r.allowed ? ',"decision":"allow"' : ',"decision":"deny"';
  if (r.status?.code !== undefined) f += `,"code":${r.status.code}`;
  if (policy !== undefined) f += `,"policy":${JSON.stringify(policy)}`;
  if (ann?.exempt !== undefined) f += `,"exempt":${JSON.stringify(ann.exempt)}`;
  return f + `,"warnings":${r.warnings?.length ?? 0},"durationMs":${Math.round(durationMs * 1000) / 1000}`;
}

// metav1.StatusReason of the codes the server answers with (the rest are BadRequest or InternalError).
const STATUS_REASONS: Record<number, string> = { 405: 'MethodNotAllowed', 413: 'RequestEntityTooLarge' };

/** How Go prints a GroupVersionKind: `group/version, Kind=kind` (`/v1, Kind=Pod` for the core group). */
function gvkText(apiVersion: unknown, kind: unknown): string {
  const gv = typeof apiVersion === 'string' ? apiVersion : '';
  return `${gv.includes('/') ? gv : `/${gv}`}, Kind=${typeof kind === 'string' ? kind : ''}`;
}

/**
 * The review's apiVersion and kind as upstream's decoder reads them: it decodes with
 * admission.k8s.io/v1 AdmissionReview as the default, so a missing kind, or a missing version
 * (of no group or of that group), is taken from it.
 */
function reviewTypeMeta(apiVersion: unknown, kind: unknown): { apiVersion: unknown; kind: unknown } {
  if (kind === undefined || kind === null || kind === '') kind = 'AdmissionReview';
  if (apiVersion === undefined || apiVersion === null || apiVersion === '' || apiVersion === '/') apiVersion = REVIEW_API_VERSION;
  else if (apiVersion === 'admission.k8s.io/') apiVersion = REVIEW_API_VERSION;
  return { apiVersion, kind };
}

function errorReview(uid: string, code: number, message: string): string {
  const reason = code >= 500 ? 'InternalError' : (STATUS_REASONS[code] ?? 'BadRequest');
  return JSON.stringify({
    apiVersion: REVIEW_API_VERSION,
    kind: 'AdmissionReview',
    response: { uid, allowed: false, status: { metadata: {}, status: 'Failure', message, reason, code } },
  });
}

interface FileState {
  content?: Buffer;
}

function readIfChanged(file: string, state: FileState): Buffer | undefined {
  const content = readFileSync(file);
  if (state.content && state.content.equals(content)) return undefined;
  state.content = content;
  return content;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.logger ?? createLogger('info');
  const metrics = new Metrics();
  const maxBytes = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const minVersion = options.minTLSVersion ?? 'TLSv1.2';

  // Initial material: failures here are start-up errors for the caller.
  const certState: FileState = {};
  const keyState: FileState = {};
  const cert = readIfChanged(options.certFile, certState)!;
  const key = readIfChanged(options.keyFile, keyState)!;
  const tlsOptions: tls.SecureContextOptions = { minVersion };
  if (options.ciphers) tlsOptions.ciphers = options.ciphers;
  const sniPairs = (options.sniCertKeys ?? []).map((p) => ({ ...p, certState: {} as FileState, keyState: {} as FileState }));
  for (const p of sniPairs) {
    readIfChanged(p.certFile, p.certState);
    readIfChanged(p.keyFile, p.keyState);
  }
  const buildSni = () => buildSniMap(sniPairs.map((p) => ({ cert: p.certState.content!, key: p.keyState.content!, names: p.names })), tlsOptions);
  let sniMap = sniPairs.length > 0 ? buildSni() : undefined;
  let config: AdmissionConfig =
    options.config ?? (options.configFile ? loadAdmissionConfigFile(options.configFile) : defaultAdmissionConfig());
  // The files the configuration was read from (a `path:` entry's file too), with their text.
  let configSources = config.sources ?? new Map<string, string | undefined>();
  if (options.configFile && !configSources.has(options.configFile)) {
    // A configuration given ready-made does not say what it was read from.
    configSources = new Map(configSources).set(options.configFile, readFileSync(options.configFile, 'utf8'));
  }
  const sourcesChanged = (): boolean =>
    [...configSources].some(([file, text]) => {
      try {
        return readFileSync(file, 'utf8') !== text;
      } catch {
        return text !== undefined;
      }
    });

  const admission = new Admission({
    config: () => config,
    evaluator: options.evaluator,
    getNamespace: options.getNamespace,
    listPods: options.listPods,
    apiVersion: options.apiVersion,
    podCheckTimeoutMs: options.podCheckTimeoutMs,
    maxPodsToCheck: options.maxPodsToCheck,
    onError: (message, fields) => log.error(message, fields),
  });

  let shuttingDown = false;
  let inFlight = 0;
  const isReady = options.isReady ?? (() => true);

  // Timeouts are enforced by a periodic sweep; check every second so slow clients go quickly.
  const serverOptions: https.ServerOptions & { connectionsCheckingInterval?: number } = { ...tlsOptions, cert, key, connectionsCheckingInterval: 1000 };
  // A name without a match gets the main certificate (also on a connection that was given an IP's, below).
  let mainContext = sniMap ? tls.createSecureContext({ ...tlsOptions, cert, key }) : undefined;
  if (sniMap) serverOptions.SNICallback = (servername, cb) => cb(null, lookupSni(sniMap!, servername) ?? mainContext);
  const server = https.createServer(serverOptions, (req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      log.error('unexpected error handling request', { error: (err as Error).message });
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(errorReview('', 500, 'internal error'));
      }
    }
  });
  server.headersTimeout = options.headersTimeoutMs ?? 10_000;
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  // Longer than the API server keeps an idle connection (client-go: 90 s), so that the API server
  // is the one to close it: a review it sends just as the webhook closes fails with EOF, and Go
  // does not retry a POST.
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 120_000;
  const fast = new FastPath(server, {
    maxBodyBytes: maxBytes,
    headersTimeoutMs: server.headersTimeout,
    requestTimeoutMs: server.requestTimeout,
    keepAliveTimeoutMs: server.keepAliveTimeout,
    takes: (target, contentType) => !SPECIAL_PATHS.has(target.split('?', 1)[0]!) && isJsonType(contentType),
    onRequest(conn, target, body) {
      const started = performance.now();
      const x = new Exchange(null, null, conn, started, deadlineOf(target, target.indexOf('?')));
      inFlight++;
      decideSoon(x, body);
    },
  });
  if (sniMap) serveIpCertificatesWithoutSni(server, (address) => sniMap!.get(address), log);
  server.on('tlsClientError', (err) => log.debug('TLS handshake failed', { error: err.message }));
  server.on('clientError', (err, socket) => {
    const code = (err as NodeJS.ErrnoException).code;
    const status = code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
    log.debug('client error', { error: err.message });
  });

  function send(res: http.ServerResponse, code: number, body: string, type = 'application/json'): void {
    if (res.headersSent || res.destroyed) return;
    // A flat header list with one end() puts headers and body in a single TLS record.
    const headers = ['Content-Type', type, 'Content-Length', String(Buffer.byteLength(body))];
    if (shuttingDown) headers.push('Connection', 'close');
    res.writeHead(code, headers);
    res.end(body);
  }

  /** One admission request; its state lives here rather than in per-request closures. */
  class Exchange {
    first: Buffer | undefined = undefined;
    chunks: Buffer[] | undefined = undefined;
    size = 0;
    /** The body has been read, or reading it failed. */
    read = false;
    /** Counted in metrics and inFlight. */
    ended = false;
    /** A content type other than application/json, refused once the body is read. */
    wrongType: string | undefined = undefined;
    constructor(
      /** node:http's request and response, or the fast path's connection. */
      readonly req: http.IncomingMessage | null,
      readonly res: http.ServerResponse | null,
      readonly conn: FastConnection | null,
      readonly started: number,
      readonly deadline: number | undefined,
    ) {}
  }
  type Tagged = http.IncomingMessage & { [EXCHANGE]?: Exchange };

  // Requests read in one event-loop turn are decided together after the reads, then answered
  // at once: the decision code and its data stay in the CPU's caches from one request to the
  // next instead of alternating with TLS and socket work (about 8% less CPU per request under
  // load). This adds no loop turn: answers went out from the same check phase before.
  let decisions: (Exchange | Buffer)[] = [];
  function decideSoon(x: Exchange, body: Buffer): void {
    if (decisions.length === 0) setImmediate(decideAll);
    decisions.push(x, body);
  }
  function decideAll(): void {
    const d = decisions;
    decisions = [];
    for (let i = 0; i < d.length; i += 2) {
      const x = d[i] as Exchange;
      try {
        decide(x, d[i + 1] as Buffer);
      } catch (err) {
        log.error('unexpected error handling request', { error: (err as Error).message });
        reply(x, 500, errorReview('', 500, 'internal error'));
      }
    }
    flush();
  }

  // Admission answers are written together at the end of the event-loop turn: one burst of
  // writes wakes a waiting client once rather than once per connection, and keeps the TLS and
  // socket code hot. Entries are flat (exchange, code, body) to avoid an object per answer.
  let queue: (Exchange | number | string)[] = [];
  let spare: (Exchange | number | string)[] = [];
  function reply(x: Exchange, code: number, body: string): void {
    if (queue.length === 0) setImmediate(flush);
    queue.push(x, code, body);
  }
  function flush(): void {
    const q = queue;
    queue = spare;
    for (let i = 0; i < q.length; i += 3) {
      const x = q[i] as Exchange;
      const code = q[i + 1] as number;
      if (x.conn) x.conn.respond(code, q[i + 2] as string);
      else send(x.res!, code, q[i + 2] as string);
      finish(x, code);
    }
    q.length = 0;
    spare = q;
  }
  /** Ends an exchange: `code` is the status sent, undefined when none could be. */
  function finish(x: Exchange, code: number | undefined): void {
    if (x.ended) return;
    x.ended = true;
    inFlight--;
    if (code !== undefined) metrics.request(code, (performance.now() - x.started) / 1000);
    if (shuttingDown && inFlight === 0) drained?.();
  }

  // Let the client finish its upload (up to a bound) so it can read the answer, then hang up.
  function discardRest(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.setHeader('Connection', 'close');
    let extra = 0;
    const timer = setTimeout(() => req.destroy(), 5000);
    timer.unref();
    req.removeAllListeners('data');
    req.on('data', (c: Buffer) => {
      extra += c.length;
      if (extra > 2 * maxBytes) req.destroy();
    });
    req.on('end', () => clearTimeout(timer));
    req.on('close', () => clearTimeout(timer));
    req.resume();
  }

  const tooLarge = () => new BadInput(`request entity is too large; limit is ${maxBytes} bytes`, 413);

  // Body listeners are shared by all requests and find their exchange on the request.
  function onData(this: Tagged, c: Buffer): void {
    const x = this[EXCHANGE]!;
    if (x.read) return;
    x.size += c.length;
    // As upstream's LimitedReader: a body that reaches the limit is refused, though it fits.
    if (x.size >= maxBytes) {
      this.removeAllListeners('data');
      x.read = true;
      badInput(x, tooLarge());
      return;
    }
    // Most reviews arrive in one chunk: keep it as is rather than copying it.
    if (x.first === undefined) x.first = c;
    else (x.chunks ??= [x.first]).push(c);
  }
  function onEnd(this: Tagged): void {
    const x = this[EXCHANGE]!;
    if (x.read) return;
    x.read = true;
    decideSoon(x, x.chunks ? Buffer.concat(x.chunks, x.size) : (x.first ?? EMPTY));
  }
  // 'close' follows every request; it only matters before the body was read.
  function onAbort(this: Tagged): void {
    const x = this[EXCHANGE]!;
    if (x.read) return;
    x.read = true;
    log.debug('client disconnected before the request was complete');
    finish(x, 499);
  }

  // The API server sends the same `?timeout=` on every call, so remember the last one parsed.
  let lastQuery = '';
  let lastTimeoutMs: number | undefined;
  function timeoutMs(query: string): number | undefined {
    if (query === lastQuery) return lastTimeoutMs;
    let ms: number | undefined;
    const t = new URLSearchParams(query).get('timeout');
    if (t) {
      // As upstream: a timeout that does not parse is ignored; one of zero or less has run out already.
      ms = parseGoDuration(t);
      if (ms === undefined) log.debug('ignoring invalid timeout', { timeout: t });
    }
    lastQuery = query;
    lastTimeoutMs = ms;
    return ms;
  }

  /** When the request's `?timeout=` runs out (ms since the epoch); qi is the index of '?'. */
  function deadlineOf(target: string, qi: number): number | undefined {
    if (qi < 0) return undefined;
    const ms = timeoutMs(target.slice(qi + 1));
    return ms === undefined ? undefined : Date.now() + ms;
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const path = qi >= 0 ? url.slice(0, qi) : url;
    if (path === '/healthz' || path === '/healthz/ping' || path === '/livez') return send(res, 200, 'ok', 'text/plain');
    if (path === '/readyz') {
      if (shuttingDown) return send(res, 503, 'shutting down', 'text/plain');
      return isReady() ? send(res, 200, 'ok', 'text/plain') : send(res, 503, 'namespace cache not synced', 'text/plain');
    }
    if (path === '/metrics') return send(res, 200, metrics.render(), 'text/plain; version=0.0.4; charset=utf-8');

    const started = performance.now();
    const x = new Exchange(req, res, null, started, deadlineOf(url, qi));
    inFlight++;
    try {
      admit(x);
    } catch (err) {
      finish(x, 500);
      throw err;
    }
  }

  function admit(x: Exchange): void {
    const req = x.req!;
    const res = x.res!;
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      req.resume();
      return reply(x, 405, errorReview('', 405, `method ${req.method} not allowed; send a POST with an AdmissionReview`));
    }
    // Checked once the body is read, as upstream does: an empty or oversized body is said first.
    const ctype = req.headers['content-type'] ?? '';
    if (!isJsonType(ctype)) x.wrongType = ctype;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared >= maxBytes) return void badInput(x, tooLarge());
    (req as Tagged)[EXCHANGE] = x;
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  }

  function decide(x: Exchange, body: Buffer): void {
    let uid = '';
    try {
      if (body.length === 0) throw new BadInput('request body is empty');
      if (x.wrongType !== undefined) throw new BadInput(`unable to process a request with a non-json content type (${JSON.stringify(x.wrongType)}; send application/json)`);
      let review: unknown;
      try {
        review = parseReview(body.toString('utf8'));
      } catch {
        throw new BadInput('unable to decode the request: body is not valid JSON');
      }
      if (!isObject(review)) throw new BadInput('unable to decode the request: expected an AdmissionReview object');
      const typeMeta = reviewTypeMeta(review.apiVersion, review.kind);
      if (typeMeta.apiVersion !== REVIEW_API_VERSION || typeMeta.kind !== 'AdmissionReview') {
        throw new BadInput(
          `unexpected AdmissionReview kind: ${gvkText(typeMeta.apiVersion, typeMeta.kind)}; expected ${REVIEW_API_VERSION}, Kind=AdmissionReview`,
        );
      }
      const problem = reviewFits(review) ? undefined : goTypeProblem(review, REVIEW_TYPE, '');
      if (problem) throw new BadInput(`malformed AdmissionReview: ${problem}`);
      const request = review.request;
      if (!isObject(request)) throw new BadInput('malformed AdmissionReview: request is missing');
      if (typeof request.uid !== 'string' || request.uid === '') throw new BadInput('malformed AdmissionReview: request.uid is missing');
      // A review whose own fields do not decode is refused as a whole (HTTP 400), as upstream's
      // decoder refuses it: the API server then applies the webhook's failurePolicy, so an
      // advisory webhook (Ignore) never denies because of it.
      const attrs = requestAttributes(request, x.deadline);
      uid = request.uid;
      const result = admission.decide(attrs);
      if (result instanceof Promise) {
        const id = uid;
        result.then(
          (r) => respond(x, id, attrs, r),
          (err) => failed(x, id, err),
        );
        return;
      }
      respond(x, uid, attrs, result);
    } catch (err) {
      failed(x, uid, err);
    }
  }

  function respond(x: Exchange, uid: string, attrs: AdmissionAttributes, result: AdmissionResult): void {
    // Evaluations are counted as upstream counts them, where they are made.
    metrics.record(result.events);
    // A connection closed meanwhile (the client gave up, or shutdown's timeout cut it): the API
    // server never saw this decision, and it is not logged as one.
    if (x.conn ? x.conn.destroyed : x.res!.destroyed) {
      finish(x, undefined);
      log.warn('admission decision not sent: the connection was closed first', { uid });
      return;
    }
    reply(x, 200, reviewBody(uid, result.response));
    if (log.enabled('info')) log.raw('info', 'admission decision', decisionLogFields(uid, attrs, result, performance.now() - x.started));
  }

  /**
   * Answers a request that is not a well-formed review with its HTTP error: the API server then
   * applies the webhook's failurePolicy, as for upstream's decoding errors.
   */
  function badInput(x: Exchange, err: BadInput): void {
    if (err.httpCode === 413 && x.req) discardRest(x.req, x.res!);
    reply(x, err.httpCode, errorReview('', err.httpCode, err.message));
    log.warn('bad admission request', { code: err.httpCode, error: err.message });
  }

  function failed(x: Exchange, uid: string, err: unknown): void {
    if (err instanceof BadInput) return void badInput(x, err);
    log.error('admission failed', { uid: uid || undefined, error: (err as Error).message });
    reply(x, uid ? 200 : 500, errorReview(uid, 500, 'internal error'));
  }

  // A change that failed to apply stays pending, so a later reload retries it.
  let certPending = false;
  let sniPending = false;
  function reload(): void {
    try {
      if (readIfChanged(options.certFile, certState)) certPending = true;
      if (readIfChanged(options.keyFile, keyState)) certPending = true;
      if (certPending) {
        const problem = pemPairProblem(options.certFile, certState.content!, options.keyFile, keyState.content!);
        if (problem) throw new Error(problem);
        pairContext(tlsOptions, certState.content!, keyState.content!);
        server.setSecureContext({ ...tlsOptions, cert: certState.content!, key: keyState.content! });
        if (mainContext) mainContext = tls.createSecureContext({ ...tlsOptions, cert: certState.content!, key: keyState.content! });
        certPending = false;
        log.info('reloaded serving certificate', { certFile: options.certFile });
      }
    } catch (err) {
      log.error('cannot reload serving certificate; keeping the current one', { error: (err as Error).message });
    }
    if (sniPairs.length > 0) {
      try {
        for (const p of sniPairs) {
          if (readIfChanged(p.certFile, p.certState)) sniPending = true;
          if (readIfChanged(p.keyFile, p.keyState)) sniPending = true;
        }
        if (sniPending) {
          sniMap = buildSni();
          sniPending = false;
          log.info('reloaded SNI certificates', { certFiles: sniPairs.map((p) => p.certFile) });
        }
      } catch (err) {
        log.error('cannot reload SNI certificates; keeping the current ones', { error: (err as Error).message });
      }
    }
    if (options.configFile) {
      try {
        if (sourcesChanged()) {
          let loaded: AdmissionConfig;
          try {
            loaded = loadAdmissionConfigFile(options.configFile);
          } catch (err) {
            // Until it is fixed: the named file's fix is a change too.
            if (err instanceof ConfigError && err.sources) configSources = err.sources;
            watchDirs();
            throw err;
          }
          config = loaded;
          configSources = loaded.sources ?? new Map();
          watchDirs();
          log.info('reloaded configuration', { configFile: options.configFile });
          for (const w of config.warnings ?? []) log.warn('configuration warning', { warning: configProblemText(w, options.configFile!) });
        }
      } catch (err) {
        log.error('invalid configuration; keeping the last valid one', { error: (err as Error).message });
      }
    }
  }

  // Changes are noticed through the containing directories: a mounted Secret or ConfigMap is
  // updated by swapping its `..data` symlink, which only the directory sees. Events are
  // coalesced (a file is often written in several steps); a slow poll covers missed events
  // and directories that cannot be watched yet.
  const watchedFiles = [options.certFile, options.keyFile, options.configFile, ...sniPairs.flatMap((p) => [p.certFile, p.keyFile])]
    .filter((f): f is string => !!f)
    .map((f) => resolve(f));
  const watchedDirs = new Set(watchedFiles.map((f) => dirname(f)));
  // Other files in the same directories (a log file, say) must not trigger reloads.
  const watchedNames = new Set(watchedFiles.map((f) => basename(f)));
  const watchers = new Map<string, FSWatcher>();
  let soon: NodeJS.Timeout | undefined;
  const onChange = (_event: string, filename: string | Buffer | null) => {
    const name = filename === null ? null : String(filename);
    // No name (some platforms), one of ours, or Kubernetes' `..data` / `..<timestamp>` entries.
    if (name !== null && !isWatchedName(name)) return;
    if (soon) return;
    soon = setTimeout(() => {
      soon = undefined;
      log.debug('a watched file changed; re-reading certificates and configuration', { file: name ?? undefined });
      reload();
    }, 50);
    soon.unref();
  };
  function isWatchedName(name: string): boolean {
    return watchedNames.has(name) || name.startsWith('..');
  }
  function watchDirs(): void {
    for (const f of configSources.keys()) {
      watchedDirs.add(dirname(f));
      watchedNames.add(basename(f));
    }
    for (const d of watchedDirs) {
      if (watchers.has(d)) continue;
      try {
        const w = watch(d, { persistent: false }, onChange);
        w.on('error', (err) => {
          log.warn('stopped watching a directory; polling it', { dir: d, error: err.message });
          w.close();
          watchers.delete(d);
        });
        watchers.set(d, w);
      } catch (err) {
        log.debug('cannot watch a directory; polling it', { dir: d, error: (err as Error).message });
      }
    }
  }
  watchDirs();
  const timer = setInterval(() => {
    watchDirs();
    reload();
  }, options.reloadIntervalMs ?? 60_000);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      resolve();
    };
    // As Go listens for "tcp" on a wildcard address: both families where the host has IPv6
    // (node's listen without a host), so that IPv6 and dual-stack clusters reach the pod.
    const host = options.bindAddress ?? '0.0.0.0';
    if (host === '0.0.0.0' || host === '::' || host === '') server.listen(options.port ?? 8443, done);
    else server.listen(options.port ?? 8443, host, done);
  });
  server.on('error', (err) => log.error('server error', { error: err.message }));
  const port = (server.address() as AddressInfo).port;

  let drained: (() => void) | undefined;
  let closing: Promise<void> | undefined;
  async function close(timeoutMs = 30_000): Promise<void> {
    if (closing) return closing;
    shuttingDown = true;
    fast.shuttingDown = true;
    clearInterval(timer);
    clearTimeout(soon);
    for (const w of watchers.values()) w.close();
    watchers.clear();
    closing = (async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      fast.closeIdle();
      const idle = inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (drained = r));
      let t: NodeJS.Timeout | undefined;
      const limit = new Promise<'timeout'>((r) => (t = setTimeout(() => r('timeout'), timeoutMs)));
      const outcome = await Promise.race([idle.then(() => 'drained' as const), limit]);
      if (outcome === 'timeout') log.warn('shutdown timeout reached with requests in flight', { inFlight });
      // Keep-alive sockets that went idle after their last response must not hold the close.
      server.closeIdleConnections();
      fast.closeIdle();
      if (outcome === 'timeout') {
        server.closeAllConnections();
        fast.closeAll();
      }
      await Promise.race([closed, limit]);
      server.closeAllConnections();
      fast.closeAll();
      clearTimeout(t);
    })();
    return closing;
  }

  return { port, server, metrics, reload, close };
}

/**
 * A client that sends no SNI (Go's, given an IP address: the API server calling a webhook URL
 * with one) gets the certificate named by the address it connected to, as Kubernetes'
 * GetConfigForClient does. Node asks no SNI callback then, so the TLS server's default context
 * is swapped for that one connection: listeners run in order, around the TLS server's own
 * 'connection' listener, within one synchronous emit.
 */
function serveIpCertificatesWithoutSni(server: https.Server, byAddress: (address: string) => tls.SecureContext | undefined, log: Logger): void {
  const shared = server as unknown as { _sharedCreds?: tls.SecureContext };
  if (typeof shared._sharedCreds !== 'object') {
    log.warn('this Node.js cannot choose a certificate by IP address for clients without SNI; they get the main certificate');
    return;
  }
  let saved: tls.SecureContext | undefined;
  server.prependListener('connection', (socket: net.Socket) => {
    const address = socket.localAddress ?? '';
    // A dual-stack listener reports an IPv4 peer's address in its IPv6-mapped form; Go does not.
    const context = byAddress(address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address);
    if (!context) return;
    saved = shared._sharedCreds;
    shared._sharedCreds = context;
  });
  server.on('connection', () => {
    if (saved === undefined) return;
    shared._sharedCreds = saved;
    saved = undefined;
  });
}
