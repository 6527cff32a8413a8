/** TLS flags as Kubernetes components take them: Go cipher suite names, SNI certificate pairs. */
import { isIP } from 'node:net';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import tls from 'node:tls';

/**
 * Every name kube-apiserver's --tls-cipher-suites accepts (Go's tls.CipherSuites() and
 * InsecureCipherSuites(), plus two legacy spellings), with its OpenSSL name; null for the
 * TLS 1.3 suites, which Go does not let anyone configure.
 */
export const GO_CIPHER_SUITES: Readonly<Record<string, string | null>> = {
  TLS_AES_128_GCM_SHA256: null,
  TLS_AES_256_GCM_SHA384: null,
  TLS_CHACHA20_POLY1305_SHA256: null,
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_RSA_WITH_RC4_128_SHA: 'RC4-SHA',
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: 'DES-CBC3-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA256: 'AES128-SHA256',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_RC4_128_SHA: 'ECDHE-ECDSA-RC4-SHA',
  TLS_ECDHE_RSA_WITH_RC4_128_SHA: 'ECDHE-RSA-RC4-SHA',
  TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: 'ECDHE-RSA-DES-CBC3-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'ECDHE-ECDSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'ECDHE-RSA-AES128-SHA256',
};

// OpenSSL's own TLS 1.3 list: naming only TLS 1.2 suites must not switch TLS 1.3 off.
const TLS13_SUITES = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';

/**
 * The `ciphers` option for Node's TLS from --tls-cipher-suites names: their TLS 1.2 suites, in
 * the order given, and OpenSSL's default TLS 1.3 suites. Throws for an unknown name, a suite
 * this build's OpenSSL lacks, or a list with no TLS 1.2 suite while TLS 1.2 is allowed.
 */
export function openSSLCiphers(names: readonly string[], minVersion: 'TLSv1.2' | 'TLSv1.3'): string {
  const list: string[] = [];
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(GO_CIPHER_SUITES, name)) {
      throw new Error(`cipher suite ${name} not supported or doesn't exist; use Go (IANA) names such as TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256`);
    }
    const openssl = GO_CIPHER_SUITES[name];
    if (openssl === null || openssl === undefined) continue;
    try {
      tls.createSecureContext({ ciphers: openssl });
    } catch {
      throw new Error(`cipher suite ${name} (OpenSSL ${openssl}) is not available in this Node.js build's OpenSSL`);
    }
    if (!list.includes(openssl)) list.push(openssl);
  }
  if (list.length === 0 && minVersion === 'TLSv1.2') {
    throw new Error('names no TLS 1.2 cipher suite (TLS 1.3 suites are not configurable); add TLS 1.2 suites or set --tls-min-version=VersionTLS13');
  }
  return list.length > 0 ? `${list.join(':')}:${TLS13_SUITES}` : TLS13_SUITES;
}

export interface NamedCertKey {
  certFile: string;
  keyFile: string;
  /** Explicit SNI names; empty means the certificate's own names. */
  names: string[];
}

/** `certfile,keyfile[:name1,name2]`, parsed as Kubernetes' NamedCertKey flag does. */
export function parseNamedCertKey(value: string): NamedCertKey {
  const colon = value.indexOf(':');
  let names: string[] = [];
  let pair = value.trim();
  if (colon >= 0) {
    pair = value.slice(0, colon).trim();
    const list = value.slice(colon + 1).trim();
    if (list === '') throw new Error('empty names list is not allowed');
    names = list.split(',').map((n) => n.trim());
  }
  const files = pair.split(',');
  if (files.length !== 2) throw new Error('expected comma separated certificate and key file paths');
  return { certFile: files[0]!.trim(), keyFile: files[1]!.trim(), names };
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes' getCertificateNames: the CN if it is a domain (not an IP), then the DNS SANs. */
export function certificateNames(certPem: Buffer | string): string[] {
  const cert = new X509Certificate(certPem);
  const names: string[] = [];
  const cn = /^CN=(.*)$/m.exec(cert.subject)?.[1] ?? '';
  const bare = cn.startsWith('*.') ? cn.slice(2) : cn;
  if (!isIP(cn) && (cn === '*' || (bare.length <= 253 && DNS1123_SUBDOMAIN.test(bare)))) names.push(cn);
  for (const entry of (cert.subjectAltName ?? '').split(', ')) {
    if (entry.startsWith('DNS:')) names.push(entry.slice(4));
  }
  return names;
}

/**
 * A secure context for a certificate and its key. OpenSSL compares the key with the certificate
 * only when both are of one type: an EC key with an RSA certificate is taken without a word, and
 * every handshake then fails, so the pair is compared here first.
 */
/**
 * What is wrong with a certificate and key pair, in words (OpenSSL's own say "no start line" for
 * a file swapped, empty or of another kind); undefined when the files look right.
 */
export function pemPairProblem(certFile: string, cert: Buffer, keyFile: string, key: Buffer): string | undefined {
  const certText = cert.toString('latin1');
  const keyText = key.toString('latin1');
  const isCert = (t: string) => t.includes('-----BEGIN CERTIFICATE-----');
  const isKey = (t: string) => /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/.test(t);
  if (!isCert(certText) && isKey(certText) && isCert(keyText)) return `${certFile} holds a private key and ${keyFile} a certificate: the two files look swapped`;
  if (!isCert(certText)) return `${certFile} holds no PEM certificate (${cert.length === 0 ? 'the file is empty' : 'no -----BEGIN CERTIFICATE----- line'})`;
  if (!isKey(keyText)) return `${keyFile} holds no PEM private key (${key.length === 0 ? 'the file is empty' : isCert(keyText) ? 'it holds a certificate' : 'no -----BEGIN PRIVATE KEY----- line'})`;
  return undefined;
}

export function pairContext(options: tls.SecureContextOptions, cert: Buffer, key: Buffer): tls.SecureContext {
  const context = tls.createSecureContext({ ...options, cert, key });
  if (!new X509Certificate(cert).checkPrivateKey(createPrivateKey(key))) throw new Error('the private key does not match the certificate');
  return context;
}

export interface SniPair {
  cert: Buffer;
  key: Buffer;
  names: string[];
}

/**
 * Name → context, as Kubernetes builds its SNI map: earlier pairs win over later ones, and
 * explicit names over names taken from certificates.
 */
export function buildSniMap(pairs: readonly SniPair[], options: tls.SecureContextOptions): Map<string, tls.SecureContext> {
  const byName = new Map<string, tls.SecureContext>();
  const explicit = new Map<string, tls.SecureContext>();
  for (let i = pairs.length - 1; i >= 0; i--) {
    const p = pairs[i]!;
    const context = pairContext(options, p.cert, p.key);
    for (const n of p.names) explicit.set(n.toLowerCase(), context);
    if (p.names.length === 0) for (const n of certificateNames(p.cert)) byName.set(n.toLowerCase(), context);
  }
  for (const [n, c] of explicit) byName.set(n, c);
  return byName;
}

/** Go's lookup: the exact name, then the name with its first label replaced by `*`. */
export function lookupSni(map: ReadonlyMap<string, tls.SecureContext>, servername: string): tls.SecureContext | undefined {
  const name = servername.toLowerCase();
  const exact = map.get(name);
  if (exact) return exact;
  const dot = name.indexOf('.');
  return map.get(dot >= 0 ? `*${name.slice(dot)}` : '*');
}
