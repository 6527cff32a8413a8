/** `podsec serve`: the PodSecurity admission webhook. */
import { accessSync, constants, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { ConfigError, configProblemText, loadAdmissionConfigFile, defaultAdmissionConfig, type AdmissionConfig } from '../admission/config.js';
import { createEvaluator } from '../engine/index.js';
import { closestKey } from '../engine/nearest.js';
import { objectFits } from '../admission/field-types.js';
import { KubeClient, loadKubeConfig, NamespaceCache, namespaceGetter } from './kube.js';
import { asyncStderr, createLogger, isLogLevel, LOG_LEVELS, type LogLevel } from './log.js';
import { MAX_REQUEST_BYTES, parseGoDuration, startServer, type RunningServer } from './server.js';
import { openSSLCiphers, pairContext, parseNamedCertKey, pemPairProblem, type NamedCertKey } from './tlsopts.js';

export const SERVE_HELP = `Usage: podsec serve [flags]

Runs the Pod Security admission webhook: an HTTPS server answering admission.k8s.io/v1
AdmissionReview requests for pods, namespaces and pod controllers, as Kubernetes' built-in
PodSecurity admission does.

Flags:
  --tls-cert-file FILE         serving certificate (PEM; chain allowed). Required unless
                               --cert-dir is given. Re-read when it changes on disk.
  --tls-private-key-file FILE  private key for --tls-cert-file (PEM). Required with it.
  --cert-dir DIR               directory holding tls.crt and tls.key, used when
                               --tls-cert-file and --tls-private-key-file are not given
  --tls-sni-cert-key CERT,KEY[:NAME,...]
                               another certificate served to clients asking for one of the
                               names (SNI; "*.example.com" wildcards allowed); without names,
                               the certificate's own CN and DNS names. An IP address as a
                               name serves clients that send no SNI and connect to it.
                               Repeatable; earlier ones win. Re-read when they change on disk.
  --bind-address IP            address to listen on (default 0.0.0.0: every address, IPv4
                               and IPv6, as :: is)
  --secure-port PORT           HTTPS port (default 8443; 0 picks a free one)
  --tls-min-version VERSION    VersionTLS12 or VersionTLS13 (default VersionTLS12)
  --tls-cipher-suites LIST     comma-separated TLS 1.2 cipher suites, Go (IANA) names such as
                               TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (default: OpenSSL's).
                               TLS 1.3 suites are accepted but not configurable.
  --kubeconfig FILE            kubeconfig for the API server; empty means in-cluster config
  --config FILE                PodSecurityConfiguration (YAML or JSON; may be embedded in an
                               AdmissionConfiguration). Re-read when it changes; an invalid
                               new version is logged and the last valid one kept.
                               Without it: privileged/latest defaults, no exemptions.
  --client-qps-limit N         API requests per second (default 20; 0: client-go's default
                               of 5; negative: no limit)
  --client-qps-burst N         API request burst (default 50; 0: client-go's default of 10)
  --log-level LEVEL            debug, info, warn or error (default info)
  --reload-interval DURATION   certificate and config files are re-read when their directory
                               reports a change, and also polled this often (default 1m;
                               at least 50ms)
  --shutdown-timeout DURATION  how long SIGTERM waits for in-flight requests (default 25s)
  --rules-dir DIR              extra rules directory for the engine (repeatable)
  -h, --help                   show this help

Endpoints: /healthz (also /healthz/ping) and /livez, /readyz (ready once the namespace cache has synced), /metrics
(Prometheus); any other path takes AdmissionReviews (POST, application/json, under ${MAX_REQUEST_BYTES / 2 ** 20} MiB,
honouring ?timeout=).

Exit codes: 0 after a graceful shutdown, 2 for a start-up error.

Examples:
  podsec serve --cert-dir /etc/podsec/tls --config /etc/podsec/config/podsecurity.yaml
                                   (in a cluster, as deploy/deployment.yaml runs it)
  podsec serve --tls-cert-file tls.crt --tls-private-key-file tls.key \\
    --kubeconfig ~/.kube/config --secure-port 9443 --log-level debug
                                   (outside a cluster, for a trial against a test cluster)
  podsec serve --cert-dir certs --rules-dir my-rules/   (with custom rules)
`;

export interface ServeFlags {
  certFile: string;
  keyFile: string;
  /** Which flag named the serving pair, for error messages. */
  certSource: '--tls-cert-file' | '--cert-dir';
  certDir?: string;
  sniCertKeys: NamedCertKey[];
  /** Go names as given; ciphers is their Node `ciphers` option. */
  cipherSuites: string[];
  ciphers?: string;
  bindAddress: string;
  port: number;
  minTLSVersion: 'TLSv1.2' | 'TLSv1.3';
  kubeconfig?: string;
  config?: string;
  qps: number;
  burst: number;
  logLevel: LogLevel;
  reloadIntervalMs: number;
  shutdownTimeoutMs: number;
  rulesDirs: string[];
  help: boolean;
}

export class FlagError extends Error {}

const VALUE_FLAGS = new Set([
  'tls-cert-file',
  'tls-private-key-file',
  'bind-address',
  'secure-port',
  'tls-min-version',
  'tls-cipher-suites',
  'cert-dir',
  'tls-sni-cert-key',
  'kubeconfig',
  'config',
  'client-qps-limit',
  'client-qps-burst',
  'log-level',
  'reload-interval',
  'shutdown-timeout',
  'rules-dir',
]);

function number(name: string, v: string, min: number, max: number, integer = true): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new FlagError(`--${name}=${v}: must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return n;
}

function duration(name: string, v: string): number {
  const ms = parseGoDuration(v);
  if (ms === undefined || ms < 0) throw new FlagError(`--${name}=${v}: must be a duration such as 500ms, 2s or 1m`);
  return ms;
}

export function parseServeFlags(argv: string[]): ServeFlags {
  const f: ServeFlags = {
    certFile: '',
    keyFile: '',
    certSource: '--tls-cert-file',
    sniCertKeys: [],
    cipherSuites: [],
    bindAddress: '0.0.0.0',
    port: 8443,
    minTLSVersion: 'TLSv1.2',
    qps: 20,
    burst: 50,
    logLevel: 'info',
    reloadIntervalMs: 60_000,
    shutdownTimeoutMs: 25_000,
    rulesDirs: [],
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      f.help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument ${JSON.stringify(arg)}; podsec serve takes only flags (see --help)`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (name === 'help') throw new FlagError('flag --help takes no value; see podsec serve --help');
    if (!VALUE_FLAGS.has(name)) {
      const meant = closestKey(name, [...VALUE_FLAGS, 'help']);
      throw new FlagError(`unknown flag --${name}; ${meant ? `did you mean --${meant}? ` : ''}see podsec serve --help`);
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new FlagError(`flag --${name} needs a value`);
      value = next;
      i++;
    }
    switch (name) {
      case 'tls-cert-file':
        f.certFile = value;
        break;
      case 'tls-private-key-file':
        f.keyFile = value;
        break;
      case 'bind-address': {
        // An address, as upstream's flag takes (net.ParseIP): a host name is not looked up.
        const address = value.replace(/^\[(.*)\]$/, '$1');
        if (isIP(address) === 0) throw new FlagError(`--bind-address=${value}: not an IP address; give one such as 0.0.0.0, 127.0.0.1 or ::`);
        f.bindAddress = address;
        break;
      }
      case 'secure-port':
        f.port = number(name, value, 0, 65535);
        break;
      case 'tls-min-version': {
        const v = value.replace(/^VersionTLS1/, '1.').replace(/^TLSv/, '');
        if (v === '1.2' || v === '1.3') f.minTLSVersion = `TLSv${v}`;
        else if (['1.0', '1.1', '10', '11', 'VersionTLS10', 'VersionTLS11'].includes(v)) {
          throw new FlagError(`--tls-min-version=${value}: TLS below 1.2 is not supported; use VersionTLS12 or VersionTLS13`);
        } else throw new FlagError(`--tls-min-version=${value}: must be VersionTLS12 or VersionTLS13`);
        break;
      }
      case 'tls-cipher-suites':
        f.cipherSuites = value.split(',').map((n) => n.trim()).filter((n) => n !== '');
        break;
      case 'cert-dir':
        f.certDir = value;
        break;
      case 'tls-sni-cert-key':
        try {
          f.sniCertKeys.push(parseNamedCertKey(value));
        } catch (err) {
          throw new FlagError(`--tls-sni-cert-key=${value}: ${(err as Error).message}; use certfile,keyfile or certfile,keyfile:name1,name2`);
        }
        break;
      case 'kubeconfig':
        f.kubeconfig = value;
        break;
      case 'config':
        f.config = value;
        break;
      // As client-go takes them: 0 means its defaults (5 per second, bursts of 10), a negative
      // rate no limit.
      case 'client-qps-limit': {
        const qps = number(name, value, -100_000, 100_000, false);
        f.qps = qps === 0 ? 5 : qps;
        break;
      }
      case 'client-qps-burst': {
        const burst = number(name, value, 0, 100_000);
        f.burst = burst === 0 ? 10 : burst;
        break;
      }
      case 'log-level':
        if (!isLogLevel(value)) throw new FlagError(`--log-level=${value}: must be one of ${LOG_LEVELS.join(', ')}`);
        f.logLevel = value;
        break;
      case 'reload-interval': {
        const ms = duration(name, value);
        if (ms < 50) throw new FlagError(`--reload-interval=${value}: at least 50ms, as files are polled that often at most`);
        f.reloadIntervalMs = ms;
        break;
      }
      case 'shutdown-timeout':
        f.shutdownTimeoutMs = duration(name, value);
        break;
      case 'rules-dir':
        f.rulesDirs.push(value);
        break;
    }
  }
  if (!f.help) {
    if (!f.certFile && !f.keyFile && f.certDir) {
      f.certFile = join(f.certDir, 'tls.crt');
      f.keyFile = join(f.certDir, 'tls.key');
      f.certSource = '--cert-dir';
    }
    if (!f.certFile) throw new FlagError('--tls-cert-file is required: the webhook serves HTTPS only (or pass --cert-dir, a directory holding tls.crt and tls.key)');
    if (!f.keyFile) throw new FlagError('--tls-private-key-file is required: the webhook serves HTTPS only');
    if (f.cipherSuites.length > 0) {
      try {
        f.ciphers = openSSLCiphers(f.cipherSuites, f.minTLSVersion);
      } catch (err) {
        throw new FlagError(`--tls-cipher-suites: ${(err as Error).message}`);
      }
    }
  }
  return f;
}

function usablePair(certFile: string, keyFile: string, flag: string): void {
  const cert = readFileSync(certFile);
  const key = readFileSync(keyFile);
  const problem = pemPairProblem(certFile, cert, keyFile, key);
  if (problem) throw new FlagError(`cannot use ${certFile} with ${keyFile}${flag}: ${problem}; pass a PEM certificate and its private key`);
  try {
    pairContext({}, cert, key);
  } catch (err) {
    const message = (err as Error).message;
    const mismatch = /does not match|key values mismatch/.test(message);
    throw new FlagError(mismatch
      ? `cannot use ${certFile} with ${keyFile}${flag}: the private key in ${keyFile} does not belong to the certificate in ${certFile}; pass the key the certificate was made for`
      : `cannot use ${certFile} with ${keyFile}${flag}: ${message}; pass a PEM certificate and its matching private key`);
  }
}

function readable(file: string, what: string, flag: string): void {
  try {
    accessSync(file, constants.R_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code})`;
    throw new FlagError(`${what} ${file} ${why}; check ${flag}`);
  }
}

/** Runs the webhook until SIGTERM/SIGINT; returns the exit code. */
export async function runServe(argv: string[], io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const fail = (msg: string): number => {
    stderr.write(`podsec serve: ${msg}\n`);
    return 2;
  };

  let flags: ServeFlags;
  try {
    flags = parseServeFlags(argv);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (flags.help) {
    stdout.write(SERVE_HELP);
    return 0;
  }

  const sink = stderr === process.stderr ? asyncStderr() : undefined;
  const log = createLogger(flags.logLevel, sink ?? ((l) => stderr.write(l)));
  let config: AdmissionConfig;
  try {
    readable(flags.certFile, 'certificate file', flags.certSource);
    readable(flags.keyFile, 'private key file', flags.certSource === '--cert-dir' ? '--cert-dir' : '--tls-private-key-file');
    usablePair(flags.certFile, flags.keyFile, '');
    for (const p of flags.sniCertKeys) {
      readable(p.certFile, 'certificate file', '--tls-sni-cert-key');
      readable(p.keyFile, 'private key file', '--tls-sni-cert-key');
      usablePair(p.certFile, p.keyFile, ' (--tls-sni-cert-key)');
    }
    if (flags.config) {
      readable(flags.config, 'configuration file', '--config');
      config = loadAdmissionConfigFile(flags.config);
      for (const w of config.warnings ?? []) log.warn('configuration warning', { warning: configProblemText(w, flags.config) });
    } else config = defaultAdmissionConfig();
  } catch (err) {
    if (err instanceof FlagError || err instanceof ConfigError) return fail((err as Error).message);
    throw err;
  }

  let client: KubeClient;
  try {
    client = new KubeClient(await loadKubeConfig(flags.kubeconfig), flags.qps, flags.burst);
  } catch (err) {
    return fail(`cannot load Kubernetes client configuration: ${(err as Error).message}`);
  }

  let evaluator;
  try {
    evaluator = createEvaluator(flags.rulesDirs.length > 0 ? { rulesDirs: flags.rulesDirs } : {});
  } catch (err) {
    return fail(`cannot load the rules: ${(err as Error).message}`);
  }
  // Compile the field-type checks now rather than on the first request; a broken schema stops start-up here.
  try {
    objectFits('Pod', {});
  } catch (err) {
    return fail(`cannot load schemas/decode.schema.json: ${(err as Error).message}`);
  }

  const cache = new NamespaceCache(client, log);
  let server: RunningServer;
  try {
    server = await startServer({
      certFile: flags.certFile,
      keyFile: flags.keyFile,
      bindAddress: flags.bindAddress,
      port: flags.port,
      minTLSVersion: flags.minTLSVersion,
      ciphers: flags.ciphers,
      sniCertKeys: flags.sniCertKeys,
      evaluator,
      configFile: flags.config,
      config,
      getNamespace: namespaceGetter(cache, client),
      listPods: (ns, signal) => client.listPods(ns, signal),
      isReady: () => cache.hasSynced,
      logger: log,
      reloadIntervalMs: flags.reloadIntervalMs,
    });
  } catch (err) {
    client.close();
    return fail(`cannot listen on ${flags.bindAddress}:${flags.port}: ${(err as Error).message}`);
  }
  cache.start();
  log.info('podsec webhook serving', { address: flags.bindAddress, port: server.port, minTLSVersion: flags.minTLSVersion, config: flags.config ?? null });

  // A bug in one request must not take the webhook down for the whole cluster.
  const onUncaught = (err: unknown) => log.error('uncaught error', { error: err instanceof Error ? err.message : String(err) });
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info('shutting down', { signal });
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await server.close(flags.shutdownTimeoutMs);
  await cache.stop();
  client.close();
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  log.info('stopped');
  await sink?.drain();
  return 0;
}

