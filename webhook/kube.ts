/**
 * Kubernetes API access: configuration and authentication come from @kubernetes/client-node's
 * KubeConfig; requests are made directly so objects stay raw JSON (the checks read the wire form).
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { NamespaceLike, PodLike } from '../admission/admission.js';
import { goQuote } from '../admission/gostrings.js';
import type { Logger } from './log.js';

export class KubeError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/**
 * Client-side rate limit, as client-go's QPS/burst: a token bucket kept as a theoretical
 * arrival time (GCRA), so waiting callers need no queue and can give up when too late.
 */
export class RateLimiter {
  private tat = 0;
  private readonly interval: number;
  private readonly tolerance: number;
  constructor(qps: number, burst: number) {
    this.interval = qps > 0 ? 1000 / qps : 0;
    this.tolerance = Math.max(0, burst - 1) * this.interval;
  }
  /** Resolves when the request may go; rejects at once if that would take over maxWaitMs. */
  take(maxWaitMs = Infinity): Promise<void> {
    if (this.interval === 0) return Promise.resolve();
    const now = Date.now();
    const tat = Math.max(this.tat, now);
    const wait = tat - this.tolerance - now;
    if (wait > maxWaitMs) return Promise.reject(new KubeError(`${RATE_LIMITED}rate: Wait(n=1) would exceed context deadline`));
    this.tat = tat + this.interval;
    return wait > 0 ? new Promise((r) => setTimeout(r, wait)) : Promise.resolve();
  }
}

// client-go's wording for its rate limiter giving up.
const RATE_LIMITED = 'client rate limiter Wait returned an error: ';

/** How many bytes of a non-Status error body client-go quotes. */
const MAX_UNSTRUCTURED_BYTES = 2048;

/**
 * client-go's error text for a failed request: the message of a failure Status in the body (as
 * `namespaces "x" not found`), else apimachinery's NewGenericServerResponse text, which names
 * the request (`... (get namespaces x)`).
 */
export function apiErrorMessage(code: number, contentType: string | undefined, body: Buffer, target?: { resource: string; name?: string }): string {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  // Only bodies client-go can decode (JSON, or no content type: the client's own) may be a Status.
  if (media === '' || media === 'application/json') {
    try {
      const status = JSON.parse(body.toString('utf8')) as Record<string, unknown> | null;
      if (status && typeof status === 'object' && status.kind === 'Status' && status.status === 'Failure') {
        if (typeof status.message === 'string') return status.message;
        if (status.message === undefined || status.message === null) return '';
      }
    } catch {
      /* not a Status */
    }
  }
  const serverMessage = media === '' || media.startsWith('text/') ? body.subarray(0, MAX_UNSTRUCTURED_BYTES).toString('utf8').trim() : 'unknown';
  let message = `the server responded with the status code ${code} but did not return more information`;
  switch (code) {
    case 409:
      message = 'the server reported a conflict';
      break;
    case 404:
      message = 'the server could not find the requested resource';
      break;
    case 400:
      message = 'the server rejected our request for an unknown reason';
      break;
    case 401:
      message = 'the server has asked for the client to provide credentials';
      break;
    case 403:
    case 415:
      message = serverMessage;
      break;
    case 406:
      message = serverMessage === '' || serverMessage === 'unknown' ? 'the server was unable to respond with a content type that the client supports' : serverMessage;
      break;
    case 405:
      message = 'the server does not allow this method on the requested resource';
      break;
    case 422:
      message = 'the server rejected our request due to an error in our request';
      break;
    case 503:
      message = 'the server is currently unable to handle the request';
      break;
    case 504:
      message = 'the server was unable to return a response in the time allotted, but may still be processing the request';
      break;
    case 429:
      message = 'the server has received too many requests and has asked us to try again later';
      break;
    default:
      if (code >= 500) message = `an error on the server (${goQuote(serverMessage)}) has prevented the request from succeeding`;
  }
  if (target?.name) return `${message} (get ${target.resource} ${target.name})`;
  if (target) return `${message} (get ${target.resource})`;
  return message;
}

/** Go's url.Error for a request that got no response: `Get "<url>": <cause>`. */
function transportError(url: string, err: Error & { code?: string; address?: string; port?: number }): string {
  let cause = err.message;
  // Go's net package words the common refusal this way.
  if (err.code === 'ECONNREFUSED' && err.address) cause = `dial tcp ${err.address.includes(':') ? `[${err.address}]` : err.address}:${err.port}: connect: connection refused`;
  return `Get ${goQuote(url)}: ${cause}`;
}

/** Loads the client library when first needed: only the webhook talks to a cluster. */
export async function loadKubeConfig(kubeconfig: string | undefined): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  if (kubeconfig) {
    if (!existsSync(kubeconfig)) throw new Error(`kubeconfig ${kubeconfig} does not exist`);
    try {
      kc.loadFromFile(kubeconfig);
    } catch (e) {
      // The client's YAML errors come with a code frame over several lines: one line says it all.
      const first = ((e as Error).message.split('\n')[0] ?? '').trim();
      throw new Error(`kubeconfig ${kubeconfig} cannot be read: ${first}; fix it, or pass another with --kubeconfig`);
    }
  } else {
    if (!process.env.KUBERNETES_SERVICE_HOST || !process.env.KUBERNETES_SERVICE_PORT) {
      throw new Error('not running inside a cluster (KUBERNETES_SERVICE_HOST is not set); pass --kubeconfig');
    }
    kc.loadFromCluster();
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster || !cluster.server) throw new Error('the kubeconfig has no current cluster with a server address');
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch {
    throw new Error(`the kubeconfig's server address ${JSON.stringify(cluster.server)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`the kubeconfig's server address ${JSON.stringify(cluster.server)} is neither https:// nor http://`);
  }
  if (url.protocol === 'http:' && !cluster.skipTLSVerify) {
    // client-go speaks plain HTTP to such a server (kubectl proxy, for one); the client library
    // refuses it unless TLS verification is off, which means nothing without TLS.
    const plain = { ...cluster, skipTLSVerify: true };
    kc.loadFromOptions({
      clusters: kc.clusters.map((c) => (c === cluster ? plain : c)),
      users: kc.users,
      contexts: kc.contexts,
      currentContext: kc.currentContext,
    });
  }
  return kc;
}

export interface KubeRequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Gives up when the response headers have not arrived in this long (the body may take longer). */
  headersTimeoutMs?: number;
}

export class KubeClient {
  private readonly server: URL;
  private readonly limiter: RateLimiter;
  private readonly agent: http.Agent;
  /** The cluster's `proxy-url`: its requests go through the client library's proxy agent. */
  private readonly proxied: boolean;

  constructor(
    private readonly kc: KubeConfig,
    qps = 20,
    burst = 50,
  ) {
    this.server = new URL(kc.getCurrentCluster()!.server);
    this.proxied = !!kc.getCurrentCluster()!.proxyUrl;
    this.limiter = new RateLimiter(qps, burst);
    this.agent = this.server.protocol === 'http:' ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true });
  }

  private async requestOptions(path: string): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = {};
    await this.kc.applyToHTTPSOptions(opts);
    const base = this.server.pathname.replace(/\/$/, '');
    const agentOpts = opts as https.RequestOptions & { agent?: http.Agent };
    // Use our own keep-alive agent, TLS material going on the request itself; unless the
    // kubeconfig names a proxy, which only the library's agent speaks to.
    const agent = this.proxied ? agentOpts.agent : this.agent;
    delete agentOpts.agent;
    return {
      ...opts,
      agent,
      protocol: this.server.protocol,
      hostname: this.server.hostname.replace(/^\[|\]$/g, ''),
      port: this.server.port || (this.server.protocol === 'http:' ? 80 : 443),
      path: base + path,
      method: 'GET',
      headers: { ...(opts.headers as Record<string, string>), Accept: 'application/json' },
    };
  }

  /** Opens a GET; resolves with the response once its headers arrive. */
  async open(path: string, o: KubeRequestOptions = {}): Promise<{ res: http.IncomingMessage; abort: () => void }> {
    await this.limiter.take(o.timeoutMs ?? Infinity);
    const ro = await this.requestOptions(path);
    const mod = this.server.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      let responded = false;
      const req = mod.request(ro, (res) => {
        responded = true;
        if (o.headersTimeoutMs) req.setTimeout(0);
        resolve({ res, abort: () => req.destroy() });
      });
      req.on('error', (e) => reject(new KubeError(transportError(this.server.origin + ro.path, e))));
      if (o.headersTimeoutMs) {
        const ms = o.headersTimeoutMs;
        req.setTimeout(ms, () => req.destroy(new Error(`no answer in ${ms / 1000} s`)));
      }
      // Go's context errors, which client-go reports for a deadline or a cancellation.
      if (o.timeoutMs) req.setTimeout(o.timeoutMs, () => req.destroy(new Error('context deadline exceeded')));
      if (o.signal) {
        // Once answered, the request may be over and its socket back in the agent's pool, where
        // an error would have no listener: the reader sees the response end early instead.
        const cancel = () => (responded ? req.destroy() : req.destroy(new Error('context canceled')));
        if (o.signal.aborted) cancel();
        else o.signal.addEventListener('abort', cancel, { once: true });
      }
      req.end();
    });
  }

  /** GETs JSON; `target` names the request in client-go's texts for unexplained failures. */
  async getJSON<T>(path: string, o: KubeRequestOptions = {}, target?: { resource: string; name?: string }): Promise<T> {
    const { res } = await this.open(path, o);
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', resolve);
      res.on('error', reject);
      res.on('aborted', () => reject(new KubeError(`GET ${path}: connection aborted`)));
    });
    const body = Buffer.concat(chunks);
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 206) throw new KubeError(apiErrorMessage(code, res.headers['content-type'], body, target), code);
    const text = body.toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KubeError(`GET ${path}: response is not JSON`);
    }
  }

  /** Live list of a namespace's pods, in pages. */
  async listPods(namespace: string, signal?: AbortSignal): Promise<PodLike[]> {
    const items: PodLike[] = [];
    let cont = '';
    do {
      const q = new URLSearchParams({ limit: '500' });
      if (cont) q.set('continue', cont);
      const page = await this.getJSON<{ items?: PodLike[]; metadata?: { continue?: string } }>(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?${q}`,
        { signal, timeoutMs: 10_000 },
        { resource: 'pods' },
      );
      if (Array.isArray(page.items)) items.push(...page.items);
      cont = page.metadata?.continue ?? '';
    } while (cont);
    return items;
  }

  async getNamespace(name: string, timeoutMs = NO_DEADLINE_LOOKUP_MS): Promise<NamespaceLike> {
    // As client-go: an empty name would GET the namespace list instead.
    if (name === '') throw new KubeError('resource name may not be empty');
    // client-go's rate limiter is the first to see a deadline that has passed.
    if (timeoutMs <= 0) throw new KubeError(`${RATE_LIMITED}context deadline exceeded`);
    const ns = await this.getJSON<NamespaceLike & { kind?: unknown }>(`/api/v1/namespaces/${encodeURIComponent(name)}`, { timeoutMs }, { resource: 'namespaces', name });
    if (ns === null || typeof ns !== 'object' || ns.kind !== 'Namespace' || ns.metadata?.name !== name) {
      throw new KubeError(`GET namespace ${name}: the API server did not return that Namespace`);
    }
    return ns;
  }

  close(): void {
    this.agent.destroy();
  }
}

interface CachedNamespace {
  metadata: { name: string; labels: Record<string, string>; resourceVersion?: string };
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: { metadata?: { name?: string; labels?: Record<string, string>; resourceVersion?: string }; code?: number; message?: string };
}

/** How long a namespace watch may send nothing, bookmarks included, before it is given up. */
export const WATCH_IDLE_TIMEOUT_MS = 150_000;

/**
 * A reflector for namespaces: list, then watch from the list's resourceVersion; on a dropped
 * watch resume from the last seen version, on 410 Gone relist, on errors back off and retry.
 */
export class NamespaceCache {
  private readonly items = new Map<string, CachedNamespace>();
  private resourceVersion = '';
  private synced = false;
  private stopped = false;
  private abortWatch: (() => void) | undefined;
  private abortList: AbortController | undefined;
  private backoffMs = 0;
  private wake: (() => void) | undefined;
  private readonly syncWaiters: (() => void)[] = [];
  private loop: Promise<void> | undefined;
  /** Counters for tests and logs. */
  readonly stats = { lists: 0, watches: 0, relistsAfterGone: 0, errors: 0, silentWatches: 0 };

  constructor(
    private readonly client: KubeClient,
    private readonly log: Logger,
    private readonly opts: { watchTimeoutSeconds?: number; watchIdleTimeoutMs?: number; maxBackoffMs?: number; minBackoffMs?: number } = {},
  ) {}

  get hasSynced(): boolean {
    return this.synced;
  }

  get size(): number {
    return this.items.size;
  }

  get(name: string): CachedNamespace | undefined {
    return this.items.get(name);
  }

  start(): void {
    if (!this.loop) this.loop = this.run();
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((r) => this.syncWaiters.push(r));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abortWatch?.();
    // A list the API server is slow to answer must not hold up shutdown for its whole timeout.
    this.abortList?.abort();
    this.wake?.();
    await this.loop;
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.wake = undefined;
  }

  private nextBackoff(): number {
    const min = this.opts.minBackoffMs ?? 200;
    const max = this.opts.maxBackoffMs ?? 30_000;
    this.backoffMs = this.backoffMs === 0 ? min : Math.min(max, this.backoffMs * 2);
    return this.backoffMs * (0.8 + Math.random() * 0.4);
  }

  private async run(): Promise<void> {
    let needList = true;
    let goneStreak = 0;
    while (!this.stopped) {
      try {
        if (needList) {
          await this.list();
          needList = false;
        }
        const outcome = await this.watch();
        if (outcome === 'gone') {
          this.stats.relistsAfterGone++;
          this.log.info('namespace watch expired (410 Gone); relisting');
          needList = true;
          // A server that expires even fresh lists must not make us spin.
          if (++goneStreak > 1) await this.sleep(this.nextBackoff());
          continue;
        }
        goneStreak = 0;
        this.backoffMs = 0;
      } catch (err) {
        if (this.stopped) break;
        this.stats.errors++;
        // As client-go's reflector: an answer other than 429 (a watch refused for lack of
        // permission, say) is followed by a relist, so the cache stays fresh at the back-off's
        // pace; lost connections resume the watch.
        if (err instanceof KubeError && err.statusCode !== undefined && err.statusCode !== 429) needList = true;
        const wait = this.nextBackoff();
        this.log.warn('namespace cache error; retrying', { error: (err as Error).message, retryInMs: Math.round(wait) });
        await this.sleep(wait);
      }
    }
  }

  private async list(): Promise<void> {
    this.stats.lists++;
    const all = new Map<string, CachedNamespace>();
    let cont = '';
    let rv = '';
    const abort = (this.abortList = new AbortController());
    try {
      do {
        const q = new URLSearchParams({ limit: '500' });
        if (cont) q.set('continue', cont);
        const page = await this.client.getJSON<{
          items?: WatchEvent['object'][];
          metadata?: { resourceVersion?: string; continue?: string };
        }>(`/api/v1/namespaces?${q}`, { timeoutMs: 60_000, signal: abort.signal }, { resource: 'namespaces' });
        for (const item of page.items ?? []) {
          const c = toCached(item);
          if (c) all.set(c.metadata.name, c);
        }
        cont = page.metadata?.continue ?? '';
        rv = page.metadata?.resourceVersion ?? rv;
      } while (cont && !this.stopped);
    } finally {
      this.abortList = undefined;
    }
    if (this.stopped) return;
    this.items.clear();
    for (const [k, v] of all) this.items.set(k, v);
    this.resourceVersion = rv;
    if (!this.synced) {
      this.synced = true;
      this.log.info('namespace cache synced', { namespaces: this.items.size, resourceVersion: rv });
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  /** One watch connection; resolves when it ends normally or reports 410. */
  private async watch(): Promise<'ended' | 'gone'> {
    this.stats.watches++;
    const q = new URLSearchParams({
      watch: '1',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(this.opts.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300)),
    });
    if (this.resourceVersion) q.set('resourceVersion', this.resourceVersion);
    // A connection to an API server that died without closing it stays open for many minutes
    // (TCP keep-alive), while label changes go unseen. The API server sends a bookmark about
    // every minute, so a watch silent for longer is given up and resumed.
    const idleMs = this.opts.watchIdleTimeoutMs ?? WATCH_IDLE_TIMEOUT_MS;
    // Aborting also covers the wait for the headers, so that stop() never waits on a mute server.
    const controller = new AbortController();
    const abort = () => controller.abort();
    this.abortWatch = abort;
    const { res } = await this.client.open(`/api/v1/namespaces?${q}`, { headersTimeoutMs: idleMs, signal: controller.signal });
    if (this.stopped) abort();
    const code = res.statusCode ?? 0;
    if (code === 410) {
      res.resume();
      return 'gone';
    }
    if (code !== 200) {
      const body = await readBody(res, MAX_UNSTRUCTURED_BYTES);
      throw new KubeError(`watch namespaces: ${apiErrorMessage(code, res.headers['content-type'], body, { resource: 'namespaces' })}`, code);
    }
    return new Promise((resolve, reject) => {
      let buf = '';
      let result: 'ended' | 'gone' = 'ended';
      let settled = false;
      let silent = false;
      let idle: NodeJS.Timeout | undefined;
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(idle);
        this.abortWatch = undefined;
        if (err && !this.stopped && result !== 'gone' && !silent) reject(err);
        else resolve(result);
      };
      const onSilence = () => {
        silent = true;
        this.stats.silentWatches++;
        this.log.warn('namespace watch sent nothing; resuming it on a new connection', { silentForMs: idleMs, resourceVersion: this.resourceVersion });
        abort();
        finish();
      };
      idle = setTimeout(onSilence, idleMs);
      idle.unref();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        idle.refresh();
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          let ev: WatchEvent;
          try {
            ev = JSON.parse(line) as WatchEvent;
          } catch {
            this.log.warn('namespace watch sent a malformed event; restarting the watch');
            abort();
            return;
          }
          if (this.apply(ev) === 'gone') {
            result = 'gone';
            abort();
            return;
          }
        }
      });
      res.on('end', () => finish());
      res.on('close', () => finish());
      res.on('error', (e) => finish(e));
      res.on('aborted', () => finish(new Error('watch connection aborted')));
    });
  }

  private apply(ev: WatchEvent): 'gone' | undefined {
    const obj = ev.object ?? {};
    switch (ev.type) {
      case 'ADDED':
      case 'MODIFIED': {
        const c = toCached(obj);
        if (c) this.items.set(c.metadata.name, c);
        break;
      }
      case 'DELETED': {
        const name = obj.metadata?.name;
        if (name) this.items.delete(name);
        break;
      }
      case 'BOOKMARK':
        break;
      case 'ERROR':
        if (obj.code === 410) return 'gone';
        this.log.warn('namespace watch error event', { code: obj.code, message: obj.message });
        return undefined;
      default:
        return undefined;
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    return undefined;
  }
}

/** Reads at most `max` bytes of a body (the rest is discarded). */
function readBody(res: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      if (size < max) chunks.push(c);
      size += c.length;
    });
    const done = () => resolve(Buffer.concat(chunks).subarray(0, max));
    res.on('end', done);
    res.on('close', done);
    res.on('error', done);
  });
}

function toCached(obj: WatchEvent['object']): CachedNamespace | undefined {
  const name = obj?.metadata?.name;
  if (typeof name !== 'string' || !name) return undefined;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj.metadata?.labels ?? {})) if (typeof v === 'string') labels[k] = v;
  return { metadata: { name, labels, resourceVersion: obj.metadata?.resourceVersion } };
}

/**
 * How long a live lookup may take for a review without ?timeout= (upstream's has no deadline
 * then; the API server always sends one, of at most this).
 */
export const NO_DEADLINE_LOOKUP_MS = 30_000;

/**
 * Cache first, then a live GET for namespaces created moments ago (as upstream's webhook), with
 * the whole of the review's deadline: a burst of misses waits for the client's rate limiter.
 */
export function namespaceGetter(
  cache: Pick<NamespaceCache, 'get'>,
  client: Pick<KubeClient, 'getNamespace'>,
): (name: string, deadline?: number) => NamespaceLike | Promise<NamespaceLike> {
  return (name: string, deadline?: number) => {
    const hit = cache.get(name);
    if (hit) return hit;
    return client.getNamespace(name, deadline === undefined ? NO_DEADLINE_LOOKUP_MS : deadline - Date.now());
  };
}
