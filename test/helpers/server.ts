// Options for a webhook server on a free loopback port, quiet, with namespaces that have no labels.
import type { ServerOptions } from '../../webhook/server.js';
import { createLogger } from '../../webhook/log.js';
import { createEvaluator } from '../../engine/index.js';

export function localServerOptions(cert: { certFile: string; keyFile: string }, extra: Partial<ServerOptions> = {}): ServerOptions {
  return {
    certFile: cert.certFile,
    keyFile: cert.keyFile,
    bindAddress: '127.0.0.1',
    port: 0,
    evaluator: createEvaluator(),
    getNamespace: (n) => ({ metadata: { name: n } }),
    listPods: async () => [],
    logger: createLogger('error', () => {}),
    ...extra,
  };
}
