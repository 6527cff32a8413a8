/**
 * A small in-process stand-in for the Kubernetes API server: namespaces (list, get, watch) and
 * pods (list, paginated), speaking the real wire protocol, for tests and benchmarks.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';

type Obj = { metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string>; [k: string]: unknown }; [k: string]: unknown };

interface WatchEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Obj;
}

export interface FakeApiServerOptions {
  /** Bearer token required on every request, if set. */
  token?: string;
  /** Serve HTTPS with this certificate (the client library refuses plain HTTP). */
  tls?: { cert: Buffer; key: Buffer };
}

export class FakeApiServer {
  private rv = 1;
  private readonly namespaces = new Map<string, Obj>();
  private readonly pods = new Map<string, Map<string, Obj>>();
  private readonly history: WatchEvent[] = [];
  /** Watch requests from a resourceVersion at or below this get 410 Gone. */
  compactedRv = 0;
  private readonly watchers = new Set<{ res: http.ServerResponse; since: number; timer?: NodeJS.Timeout }>();
  private readonly silenced = new Set<http.ServerResponse>();
  private server: http.Server | undefined;
  readonly requests: { method: string; path: string; query: Record<string, string> }[] = [];
  /** Fail the next N list calls of namespaces with HTTP 500. */
  failNamespaceLists = 0;
  /** Answer namespace lists this long after the request (ms). */
  listDelayMs = 0;
  /** Answer pod lists this long after the request (ms). */
  podListDelayMs = 0;
  /** Leave new namespace watches unanswered, not even with headers. */
  muteWatches = false;
  /** Refuse namespace watches with 403, as without RBAC's watch verb. */
  forbidWatches = false;
  /** Fail pod lists with HTTP 500. */
  failPodLists = false;
  port = 0;

  constructor(private readonly opts: FakeApiServerOptions = {}) {}

  get url(): string {
    return `${this.opts.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  async start(): Promise<void> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => this.handle(req, res);
    this.server = this.opts.tls ? https.createServer({ cert: this.opts.tls.cert, key: this.opts.tls.key }, handler) : http.createServer(handler);
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.dropWatches();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  /** Writes a kubeconfig that points at this server. */
  writeKubeconfig(file: string): void {
    const user = this.opts.token ? `    token: ${this.opts.token}\n` : '    {}\n';
    writeFileSync(
      file,
      `apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: ${this.url}
${this.opts.tls ? `    certificate-authority-data: ${this.opts.tls.cert.toString('base64')}\n` : ''}users:
- name: fake
  user:
${user}contexts:
- name: fake
  context: {cluster: fake, user: fake}
current-context: fake
`,
    );
  }

  /** Ends every open watch stream, as an API server restart would. */
  dropWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    for (const res of this.silenced) res.end();
    this.silenced.clear();
  }

  /**
   * Open watch streams get no more events and are never ended, as from an API server that died
   * without closing its connections; later watches work.
   */
  silenceWatches(): void {
    for (const w of this.watchers) {
      clearTimeout(w.timer);
      this.silenced.add(w.res);
    }
    this.watchers.clear();
  }

  private record(type: WatchEvent['type'], object: Obj): void {
    const ev = { rv: this.rv, type, object: structuredClone(object) };
    this.history.push(ev);
    for (const w of this.watchers) this.sendEvent(w.res, ev);
  }

  private sendEvent(res: http.ServerResponse, ev: WatchEvent): void {
    res.write(JSON.stringify({ type: ev.type, object: { apiVersion: 'v1', kind: 'Namespace', ...ev.object } }) + '\n');
  }

  setNamespace(name: string, labels: Record<string, string> = {}): void {
    const existing = this.namespaces.has(name);
    const ns: Obj = { metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels }, resourceVersion: String(++this.rv) } };
    this.namespaces.set(name, ns);
    this.record(existing ? 'MODIFIED' : 'ADDED', ns);
  }

  deleteNamespace(name: string): void {
    const ns = this.namespaces.get(name);
    if (!ns) return;
    this.namespaces.delete(name);
    ns.metadata.resourceVersion = String(++this.rv);
    this.record('DELETED', ns);
    this.pods.delete(name);
  }

  addPod(namespace: string, pod: Obj): void {
    let m = this.pods.get(namespace);
    if (!m) this.pods.set(namespace, (m = new Map()));
    pod.metadata.resourceVersion = String(++this.rv);
    pod.metadata.namespace = namespace;
    m.set(pod.metadata.name, { apiVersion: 'v1', kind: 'Pod', ...pod });
  }

  clearPods(namespace: string): void {
    this.pods.delete(namespace);
  }

  /** Forgets history so that watches from older versions get 410 Gone. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history.length = 0;
  }

  private status(res: http.ServerResponse, code: number, reason: string, message: string): void {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method: req.method ?? '', path: url.pathname, query });
    if (this.opts.token && req.headers.authorization !== `Bearer ${this.opts.token}`) {
      return this.status(res, 401, 'Unauthorized', 'Unauthorized');
    }
    if (req.method !== 'GET') return this.status(res, 405, 'MethodNotAllowed', 'only GET is supported here');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // /api/v1/namespaces[/name[/pods]]
    if (parts[0] !== 'api' || parts[1] !== 'v1' || parts[2] !== 'namespaces') return this.status(res, 404, 'NotFound', 'not found');
    if (parts.length === 3) {
      if (query.watch === '1' || query.watch === 'true') {
        if (this.forbidWatches) {
          return this.status(res, 403, 'Forbidden', 'namespaces is forbidden: User "system:serviceaccount:podsec-system:podsec-webhook" cannot watch resource "namespaces" in API group "" at the cluster scope');
        }
        if (this.muteWatches) {
          this.silenced.add(res);
          req.on('close', () => this.silenced.delete(res));
          return;
        }
        return this.watch(req, res, query);
      }
      if (this.failNamespaceLists > 0) {
        this.failNamespaceLists--;
        return this.status(res, 500, 'InternalError', 'injected failure');
      }
      const send = () => this.list(res, [...this.namespaces.values()], 'NamespaceList', query);
      if (this.listDelayMs) setTimeout(send, this.listDelayMs);
      else send();
      return;
    }
    const name = parts[3]!;
    if (parts.length === 4) {
      const ns = this.namespaces.get(name);
      if (!ns) return this.status(res, 404, 'NotFound', `namespaces "${name}" not found`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', ...ns }));
      return;
    }
    if (parts.length === 5 && parts[4] === 'pods') {
      if (this.failPodLists) return this.status(res, 500, 'InternalError', 'injected failure');
      const items = [...(this.pods.get(name)?.values() ?? [])];
      const send = () => this.list(res, items, 'PodList', query);
      if (this.podListDelayMs) setTimeout(send, this.podListDelayMs);
      else send();
      return;
    }
    this.status(res, 404, 'NotFound', 'not found');
  }

  private list(res: http.ServerResponse, all: Obj[], kind: string, query: Record<string, string>): void {
    if (res.destroyed) return;
    const limit = Number(query.limit) || 0;
    const start = Number(query.continue ?? 0) || 0;
    const items = limit ? all.slice(start, start + limit) : all.slice(start);
    const metadata: Record<string, string> = { resourceVersion: String(this.rv) };
    if (limit && start + limit < all.length) metadata.continue = String(start + limit);
    const itemKind = kind.replace(/List$/, '');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ apiVersion: 'v1', kind, metadata, items: items.map((i) => ({ apiVersion: 'v1', kind: itemKind, ...i })) }));
  }

  private watch(req: http.IncomingMessage, res: http.ServerResponse, query: Record<string, string>): void {
    const since = Number(query.resourceVersion ?? 0) || 0;
    if (since && since < this.compactedRv) {
      // The real server answers 200 and reports the expiry as an ERROR event.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.end(
        JSON.stringify({
          type: 'ERROR',
          object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${since} (${this.compactedRv})`, reason: 'Expired', code: 410 },
        }) + '\n',
      );
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    for (const ev of this.history) if (ev.rv > since) this.sendEvent(res, ev);
    const timeout = Number(query.timeoutSeconds ?? 0);
    const w = { res, since, timer: timeout ? setTimeout(() => res.end(), timeout * 1000) : undefined };
    this.watchers.add(w);
    req.on('close', () => {
      clearTimeout(w.timer);
      this.watchers.delete(w);
      this.silenced.delete(res);
    });
  }
}
