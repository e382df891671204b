import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { dockerSocketPath, fixtureServices, infraEnv } from '../support/infra.js';

interface ServiceSummary {
  readonly Spec: {
    readonly Name: string;
    readonly Labels?: Readonly<Record<string, string>>;
    readonly Mode?: { readonly Replicated?: { readonly Replicas?: number } };
  };
  readonly ServiceStatus?: { readonly RunningTasks: number; readonly DesiredTasks: number };
}

/** GET a path of the Engine API on our socket and parse the JSON answer. */
function engineGet<T>(path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath: dockerSocketPath(), path, method: 'GET', timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          if (res.statusCode !== 200)
            reject(new Error(`GET ${path} answered ${res.statusCode ?? '?'}: ${body}`));
          else resolve(JSON.parse(body) as T);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** GET http://127.0.0.1:<port><path>; resolves with the status code and body. */
function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () =>
      req.destroy(new Error(`GET 127.0.0.1:${port}${path}: no answer within 5 s`)),
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the fixture stack', () => {
  const { fixtureStack, ports } = infraEnv();

  async function stackServices(): Promise<Map<string, ServiceSummary>> {
    const filters = encodeURIComponent(
      JSON.stringify({ label: [`com.docker.stack.namespace=${fixtureStack}`] }),
    );
    const services = await engineGet<ServiceSummary[]>(
      `/v1.41/services?status=true&filters=${filters}`,
    );
    return new Map(services.map((s) => [s.Spec.Name, s]));
  }

  it('has every TAS service and no database', async () => {
    const services = await stackServices();
    expect([...services.keys()].sort()).toEqual(
      fixtureServices.map((s) => `${fixtureStack}_${s}`).sort(),
    );
  });

  it('runs one replica of each long-running service and none of redis', async () => {
    const services = await stackServices();
    for (const name of ['frontend', 'backend', 'tika', 'elasticsearch', 'arango']) {
      expect(services.get(`${fixtureStack}_${name}`)?.ServiceStatus, name).toMatchObject({
        RunningTasks: 1,
        DesiredTasks: 1,
      });
    }
    expect(services.get(`${fixtureStack}_redis`)?.Spec.Mode?.Replicated?.Replicas).toBe(0);
  });

  it('keeps backend-cron in a restart loop with failed tasks', async () => {
    const filters = encodeURIComponent(
      JSON.stringify({ service: [`${fixtureStack}_backend-cron`] }),
    );
    const tasks = await engineGet<{ Status: { State: string } }[]>(
      `/v1.41/tasks?filters=${filters}`,
    );
    expect(tasks.filter((t) => t.Status.State === 'failed').length).toBeGreaterThanOrEqual(3);
  });

  it('answers the backend status routes: liveness 200, readiness 503', async () => {
    await expect(httpGet(ports.backend, '/cgi-bin/liveness')).resolves.toEqual({
      status: 200,
      body: '{"status":"OK"}',
    });
    await expect(httpGet(ports.backend, '/cgi-bin/readiness')).resolves.toEqual({
      status: 503,
      body: '{"status":"UNAVAILABLE"}',
    });
  });
});
