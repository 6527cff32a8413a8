// Options for a webhook server on a free loopback port, quiet, with namespaces that have no labels;
// and a request to such a server.
import https from 'node:https';
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

/** A request to a webhook on the loopback address: POST with a body (JSON), GET without. */
export function requestLocal(port: number, ca: Buffer, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path, method: body === undefined ? 'GET' : 'POST', ca, agent: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
