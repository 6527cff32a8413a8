/**
 * A lean reader for the one request shape the API server sends a webhook: an HTTP/1.1 POST
 * with a Content-Length and a JSON body. node:http costs more per request than the admission
 * decision itself, so connections start here; at the first request that is anything else (a
 * GET, chunked or oversized bodies, Expect, an upgrade, odd syntax, HTTP/1.0) the connection,
 * with the bytes not yet answered, is handed to the node:http server for good, which then
 * treats it as any other connection. Answers are one write each: headers and body in one TLS
 * record.
 */
import http from 'node:http';
import type https from 'node:https';
import type tls from 'node:tls';

export interface FastPathOptions {
  maxBodyBytes: number;
  /** Larger header blocks go to node:http, which answers 431. */
  maxHeaderBytes?: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Whether a POST with this target and content type is taken here. */
  takes(target: string, contentType: string): boolean;
  /** A complete request; answer it once with conn.respond (later is fine). */
  onRequest(conn: FastConnection, target: string, body: Buffer): void;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');

/** Whether a line of the buffer ends with LF alone (not CRLF). */
function hasBareLf(buf: Buffer): boolean {
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) if (i === 0 || buf[i - 1] !== 0x0d) return true;
  return false;
}

const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
const TARGET = /^\/[\x21-\x7e]*$/;
const DIGITS = /^[0-9]{1,10}$/;

// Header names and values as RFC 9110 allows them (the head is decoded as latin1, so every
// code unit is below 256); anything else is node:http's to reject.
const TOKEN_CHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TOKEN_CHAR[c.charCodeAt(0)] = 1;
const VALUE_CHAR = new Uint8Array(256);
VALUE_CHAR[9] = 1;
for (let c = 0x20; c <= 0xff; c++) if (c !== 0x7f) VALUE_CHAR[c] = 1;

/** What the lean reader needs from a request head it takes. */
export interface RequestHead {
  target: string;
  contentLength: number;
  contentType: string;
  close: boolean;
}

/** head[at, at + word.length) equals word (lower case) ignoring ASCII case; head holds token characters there. */
function nameIs(head: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if ((head.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * Parses a request head (without its final CRLFCRLF) one character scan per line, or returns
 * null for anything but a plain `POST … HTTP/1.1` with Host, one Content-Length, one
 * Content-Type, no Transfer-Encoding, Expect or Upgrade, and only keep-alive or close as
 * Connection.
 */
export function parseRequestHead(head: string): RequestHead | null {
  let eol = head.indexOf('\r\n');
  if (eol < 0) eol = head.length;
  if (eol < 15 || !head.startsWith('POST ') || !head.startsWith(' HTTP/1.1', eol - 9)) return null;
  const target = head.slice(5, eol - 9);
  if (!TARGET.test(target)) return null;
  let contentLength = -1;
  let contentType: string | undefined;
  let close = false;
  let host = false;
  for (let p = eol + 2; p < head.length; ) {
    let end = head.indexOf('\r\n', p);
    if (end < 0) end = head.length;
    let i = p;
    while (i < end && TOKEN_CHAR[head.charCodeAt(i)] === 1) i++;
    if (i === p || i === end || head.charCodeAt(i) !== 58 /* : */) return null;
    const nameLength = i - p;
    // The value without the optional whitespace (SP, HTAB) around it.
    let from = i + 1;
    while (from < end && (head.charCodeAt(from) === 32 || head.charCodeAt(from) === 9)) from++;
    let to = end;
    while (to > from && (head.charCodeAt(to - 1) === 32 || head.charCodeAt(to - 1) === 9)) to--;
    for (let k = from; k < to; k++) if (VALUE_CHAR[head.charCodeAt(k)] !== 1) return null;
    switch (nameLength) {
      case 4:
        if (nameIs(head, p, 'host')) host = true;
        break;
      case 6:
        if (nameIs(head, p, 'expect')) return null;
        break;
      case 7:
        if (nameIs(head, p, 'upgrade')) return null;
        break;
      case 10:
        if (nameIs(head, p, 'connection')) {
          const v = head.slice(from, to).toLowerCase();
          if (v === 'close') close = true;
          else if (v !== 'keep-alive') return null;
        }
        break;
      case 12:
        if (nameIs(head, p, 'content-type')) {
          if (contentType !== undefined) return null;
          contentType = head.slice(from, to);
        }
        break;
      case 14:
        if (nameIs(head, p, 'content-length')) {
          const v = head.slice(from, to);
          if (contentLength >= 0 || !DIGITS.test(v)) return null;
          contentLength = Number(v);
        }
        break;
      case 17:
        if (nameIs(head, p, 'transfer-encoding')) return null;
        break;
    }
    p = end + 2;
  }
  // node:http answers 400 to an HTTP/1.1 request without Host.
  if (!host || contentLength < 0 || contentType === undefined) return null;
  return { target, contentLength, contentType, close };
}

let dateSecond = -1;
let dateText = '';
function httpDate(): string {
  const now = Date.now();
  const s = Math.floor(now / 1000);
  if (s !== dateSecond) {
    dateSecond = s;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

export class FastConnection {
  /** Bytes received and not yet consumed by a request. */
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Total bytes of the request at the head of the buffer, once its headers are parsed. */
  private need = -1;
  private target = '';
  private bodyLength = 0;
  private closeAfter = false;
  /** A request is being decided; further bytes wait. */
  busy = false;
  /** When the current partial request began (0: none). */
  partialSince = 0;
  headersDone = false;
  idleSince: number;
  handedOff = false;

  constructor(
    readonly socket: tls.TLSSocket,
    private readonly fast: FastPath,
  ) {
    this.idleSince = Date.now();
  }

  get destroyed(): boolean {
    return this.socket.destroyed;
  }

  /** Writes the answer to the current request, then reads the next one. */
  respond(code: number, body: string): void {
    const s = this.socket;
    this.busy = false;
    if (s.destroyed) return;
    const close = this.closeAfter || this.fast.shuttingDown;
    const head =
      `HTTP/1.1 ${code} ${http.STATUS_CODES[code] ?? 'Unknown'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nDate: ${httpDate()}\r\n` +
      (close ? 'Connection: close\r\n\r\n' : this.fast.keepAliveHeader);
    s.write(head + body);
    if (close) {
      s.end();
      this.fast.forget(this);
      return;
    }
    this.idleSince = Date.now();
    if (this.buffered > 0) this.process();
    else if (s.isPaused()) s.resume();
  }

  onData(chunk: Buffer): void {
    if (this.buffered === 0 && !this.busy) this.partialSince = Date.now();
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.busy) {
      // A client pipelining ahead of its answers waits for them.
      if (this.buffered > this.fast.maxBodyBytes) this.socket.pause();
      return;
    }
    this.process();
  }

  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0]!;
  }

  /** Parses and dispatches the request at the head of the buffer, if it is complete. */
  private process(): void {
    if (this.need < 0) {
      const buf = this.joined();
      const end = buf.indexOf(CRLFCRLF);
      if (end < 0) {
        // A line ended by a bare LF would never end the head here: node:http answers it at once.
        if (this.buffered > this.fast.maxHeaderBytes || hasBareLf(buf)) this.handOff();
        return;
      }
      if (end + 4 > this.fast.maxHeaderBytes || !this.parseHead(buf.toString('latin1', 0, end))) return this.handOff();
      this.headersDone = true;
    }
    if (this.buffered < this.need) return;
    const buf = this.joined();
    const body = buf.subarray(this.need - this.bodyLength, this.need);
    const rest = this.buffered - this.need;
    if (rest > 0) {
      this.chunks = [buf.subarray(this.need)];
      this.buffered = rest;
      this.partialSince = Date.now();
    } else {
      this.chunks = [];
      this.buffered = 0;
      this.partialSince = 0;
    }
    this.need = -1;
    this.headersDone = false;
    this.busy = true;
    this.fast.options.onRequest(this, this.target, body);
  }

  /** True if the request head is one this reader takes; sets need, target, closeAfter. */
  private parseHead(head: string): boolean {
    const r = parseRequestHead(head);
    if (r === null || r.contentLength >= this.fast.maxBodyBytes || !this.fast.options.takes(r.target, r.contentType)) return false;
    this.bodyLength = r.contentLength;
    // The head was decoded as latin1: one character per byte, plus the CRLFCRLF.
    this.need = head.length + 4 + r.contentLength;
    this.target = r.target;
    this.closeAfter = r.close;
    return true;
  }

  /** Gives the connection, and every byte not yet answered, to node:http. */
  handOff(): void {
    if (this.handedOff) return;
    this.handedOff = true;
    this.fast.forget(this);
    const s = this.socket;
    s.removeListener('data', this.fast.onDataListener);
    s.removeListener('error', ignoreError);
    const pending = this.buffered > 0 ? this.joined() : undefined;
    this.chunks = [];
    this.buffered = 0;
    this.fast.httpListener.call(this.fast.server, s);
    if (pending) s.emit('data', pending);
    if (s.isPaused()) s.resume();
  }
}

function ignoreError(): void {
  // 'close' follows; node:http has not seen the connection.
}

const CONNECTION = Symbol('fastConnection');
type Tagged = tls.TLSSocket & { [CONNECTION]?: FastConnection };

export class FastPath {
  readonly connections = new Set<FastConnection>();
  readonly httpListener: (this: https.Server, socket: tls.TLSSocket) => void;
  readonly maxBodyBytes: number;
  readonly maxHeaderBytes: number;
  readonly keepAliveHeader: string;
  private readonly sweeper: NodeJS.Timeout;
  shuttingDown = false;

  constructor(
    readonly server: https.Server,
    readonly options: FastPathOptions,
    sweepIntervalMs = 1000,
  ) {
    const listeners = server.listeners('secureConnection') as ((this: https.Server, s: tls.TLSSocket) => void)[];
    if (listeners.length !== 1) throw new Error('expected the https server to have one connection listener');
    this.httpListener = listeners[0]!;
    server.removeListener('secureConnection', this.httpListener);
    server.on('secureConnection', (socket: tls.TLSSocket) => this.accept(socket));
    this.maxBodyBytes = options.maxBodyBytes;
    this.maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    this.keepAliveHeader = `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(options.keepAliveTimeoutMs / 1000)}\r\n\r\n`;
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweeper.unref();
  }

  readonly onDataListener = function (this: Tagged, chunk: Buffer): void {
    this[CONNECTION]!.onData(chunk);
  };

  private accept(socket: tls.TLSSocket): void {
    if (this.shuttingDown) {
      socket.destroy();
      return;
    }
    const conn = new FastConnection(socket, this);
    (socket as Tagged)[CONNECTION] = conn;
    this.connections.add(conn);
    socket.on('data', this.onDataListener);
    socket.on('error', ignoreError);
    socket.once('close', () => this.connections.delete(conn));
  }

  forget(conn: FastConnection): void {
    this.connections.delete(conn);
  }

  /** Cuts off slow requests and idle keep-alive connections, as node:http's timeouts do; one
   * periodic sweep rather than a timer per request. */
  private sweep(): void {
    const now = Date.now();
    const o = this.options;
    for (const c of this.connections) {
      if (c.busy) continue;
      if (c.partialSince > 0) {
        const age = now - c.partialSince;
        if ((!c.headersDone && age > o.headersTimeoutMs) || age > o.requestTimeoutMs) {
          this.forget(c);
          if (c.socket.writable) c.socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
          else c.socket.destroy();
        }
      } else if (now - c.idleSince > o.keepAliveTimeoutMs) {
        this.forget(c);
        c.socket.destroy();
      }
    }
  }

  /** Closes connections that wait for a request; the others close after their answer. */
  closeIdle(): void {
    this.shuttingDown = true;
    for (const c of this.connections) {
      if (!c.busy && c.partialSince === 0) {
        this.forget(c);
        c.socket.destroy();
      }
    }
  }

  closeAll(): void {
    this.shuttingDown = true;
    clearInterval(this.sweeper);
    for (const c of this.connections) c.socket.destroy();
    this.connections.clear();
  }
}
