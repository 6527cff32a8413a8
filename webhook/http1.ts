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
const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
// Header names and values as RFC 9110 allows them; anything else is node:http's to reject.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const TARGET = /^\/[\x21-\x7e]*$/;
const DIGITS = /^[0-9]{1,10}$/;

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
        if (this.buffered > this.fast.maxHeaderBytes) this.handOff();
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
    const lines = head.split('\r\n');
    const requestLine = lines[0]!;
    if (!requestLine.startsWith('POST ') || !requestLine.endsWith(' HTTP/1.1')) return false;
    const target = requestLine.slice(5, -9);
    if (!TARGET.test(target)) return false;
    let length = -1;
    let contentType: string | undefined;
    let close = false;
    let host = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) return false;
      const name = line.slice(0, colon);
      if (!TOKEN.test(name)) return false;
      const value = line.slice(colon + 1).trim();
      if (!FIELD_VALUE.test(value)) return false;
      switch (name.length) {
        case 4:
          if (/^host$/i.test(name)) host = true;
          break;
        case 6: // expect
        case 7: // upgrade
          if (/^(expect|upgrade)$/i.test(name)) return false;
          break;
        case 10: // connection
          if (/^connection$/i.test(name)) {
            const v = value.toLowerCase();
            if (v === 'close') close = true;
            else if (v !== 'keep-alive') return false;
          }
          break;
        case 12: // content-type
          if (/^content-type$/i.test(name)) {
            if (contentType !== undefined) return false;
            contentType = value;
          }
          break;
        case 14: // content-length
          if (/^content-length$/i.test(name)) {
            if (length >= 0 || !DIGITS.test(value)) return false;
            length = Number(value);
          }
          break;
        case 17: // transfer-encoding
          if (/^transfer-encoding$/i.test(name)) return false;
          break;
      }
    }
    // node:http answers 400 to an HTTP/1.1 request without Host.
    if (!host || length < 0 || length > this.fast.maxBodyBytes) return false;
    if (contentType === undefined || !this.fast.options.takes(target, contentType)) return false;
    const headLength = Buffer.byteLength(head, 'latin1') + 4;
    this.bodyLength = length;
    this.need = headLength + length;
    this.target = target;
    this.closeAfter = close;
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
