// What --kubeconfig says about reaching the API server is followed.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { KubeClient, loadKubeConfig } from '../webhook/kube.js';
import { makeSelfSignedCert } from '../webhook/testing/certs.js';
import { FakeApiServer } from '../webhook/testing/fake-apiserver.js';

t.test('a cluster\'s proxy-url is used, as kubectl and client-go use it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-kubeconfig-'));
  const cert = makeSelfSignedCert(dir, 'api');
  const api = new FakeApiServer({ token: 'tok', tls: { cert: cert.cert, key: readFileSync(cert.keyFile) } });
  await api.start();
  api.setNamespace('shop', { 'pod-security.kubernetes.io/enforce': 'restricted' });
  // An HTTP proxy that tunnels CONNECT requests and counts them.
  const tunnels: string[] = [];
  const proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const file = join(dir, 'kubeconfig');
  api.writeKubeconfig(file);
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  writeFileSync(file, readFileSync(file, 'utf8').replace(/(    server: .*\n)/, `$1    proxy-url: ${proxyUrl}\n`));
  const client = new KubeClient(await loadKubeConfig(file));
  t.teardown(async () => {
    client.close();
    proxy.closeAllConnections();
    proxy.close();
    await api.stop();
  });
  const ns = await client.getNamespace('shop');
  t.equal(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
  t.same(tunnels, [`127.0.0.1:${api.port}`], 'through the proxy');
});

t.test('a plain http:// server is spoken to without TLS, as client-go does (kubectl proxy)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-kubeconfig-'));
  const api = new FakeApiServer({ token: 'tok' });
  await api.start();
  api.setNamespace('shop', { 'pod-security.kubernetes.io/enforce': 'baseline' });
  const file = join(dir, 'kubeconfig');
  api.writeKubeconfig(file);
  t.match(readFileSync(file, 'utf8'), /server: http:\/\//);
  t.notMatch(readFileSync(file, 'utf8'), /insecure-skip-tls-verify/);
  const client = new KubeClient(await loadKubeConfig(file));
  t.teardown(async () => {
    client.close();
    await api.stop();
  });
  const ns = await client.getNamespace('shop');
  t.equal(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'], 'baseline', 'with the token (the fake refuses requests without it)');
});

t.test('a server address that is neither https:// nor http:// is refused when loading', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'podsec-kubeconfig-'));
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ftp://example.com\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n');
  await t.rejects(loadKubeConfig(file), { message: 'the kubeconfig\'s server address "ftp://example.com" is neither https:// nor http://' });
});
