import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, startApi } from './support/api';
import { type ApiProcess, spawnApi } from './support/api-process';
import { agentBody } from './support/seed-documents';

const TOKEN = 'metrics-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

/** Prometheus text: each sample line as its name, labels and value. */
function samples(
  text: string,
): Array<{ name: string; labels: Record<string, string>; value: number }> {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
      if (!match) throw new Error(`Not a Prometheus sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
        labels[key as string] = value as string;
      }
      return { name: match[1] as string, labels, value: Number(match[3]) };
    });
}

function sum(
  lines: ReturnType<typeof samples>,
  name: string,
  labels: Record<string, string>,
): number {
  return lines
    .filter(
      (line) =>
        line.name === name && Object.entries(labels).every(([k, v]) => line.labels[k] === v),
    )
    .reduce((total, line) => total + line.value, 0);
}

describe('GET /metrics', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await startApi({ DATABASE_PROVIDER: 'memory' }, { apiToken: TOKEN });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('needs the token like every route but /health', async () => {
    const refused = await call(app, 'GET', '/metrics');
    expect(refused.statusCode).toBe(401);
  });

  it("serves the routes' and the database's metrics in Prometheus text", async () => {
    const before = samples((await call(app, 'GET', '/metrics', undefined, auth)).body);
    const created = await call(app, 'POST', '/agents', agentBody(), auth);
    expect(created.statusCode).toBe(201);
    const id = created.json()._id as string;
    for (let i = 0; i < 3; i++) {
      expect((await call(app, 'GET', `/agents/${id}`, undefined, auth)).statusCode).toBe(200);
    }
    expect((await call(app, 'GET', '/agents/no-such-agent', undefined, auth)).statusCode).toBe(404);

    const response = await call(app, 'GET', '/metrics', undefined, auth);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = samples(response.body);
    const delta = (name: string, labels: Record<string, string>) =>
      sum(after, name, labels) - sum(before, name, labels);

    // Route latencies by route pattern and status: ids never become labels.
    const route = { http_request_method: 'GET', http_route: '/agents/:id' };
    expect(
      delta('http_server_request_duration_count', {
        ...route,
        http_response_status_code: '200',
      }),
    ).toBe(3);
    expect(
      delta('http_server_request_duration_count', {
        ...route,
        http_response_status_code: '404',
      }),
    ).toBe(1);
    expect(response.body).not.toContain(id);

    // The library's own: every get timed, the 404 counted by its code.
    const gets = { db_operation_name: 'get', db_collection_name: 'agents' };
    expect(delta('db_client_operation_duration_count', gets)).toBe(4);
    expect(delta('gofannon_db_client_errors_total', { ...gets, error_type: 'not_found' })).toBe(1);
    expect(
      sum(after, 'db_client_operation_duration_count', {
        db_system_name: 'gofannon.memory',
      }),
    ).toBeGreaterThan(0);
  });
});

/** A stand-in OpenTelemetry collector: takes OTLP/HTTP JSON trace exports on loopback. */
class TraceReceiver {
  readonly spans: Array<Record<string, unknown>> = [];
  readonly #server: Server;
  #waiters: Array<() => void> = [];

  constructor() {
    this.#server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const exported = JSON.parse(body) as {
          resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>;
        };
        for (const resource of exported.resourceSpans) {
          for (const scope of resource.scopeSpans) this.spans.push(...scope.spans);
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        for (const wake of this.#waiters.splice(0)) wake();
      });
    });
  }

  async listen(): Promise<string> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Resolves once a received span satisfies `test`. */
  async spanWhere(
    test: (span: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>> {
    for (;;) {
      const found = this.spans.find(test);
      if (found) return found;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return body;
}

describe('tracing, with an OTLP endpoint set', () => {
  let receiver: TraceReceiver;
  let api: ApiProcess | undefined;

  beforeAll(async () => {
    receiver = new TraceReceiver();
  });
  afterEach(() => {
    api?.child.kill('SIGTERM');
  });
  afterAll(async () => {
    if (api) await api.exited;
    await receiver?.close();
  });

  it("continues the caller's trace, nests the database calls, and logs the trace id", async () => {
    const endpoint = await receiver.listen();
    api = await spawnApi({
      DATABASE_PROVIDER: 'memory',
      LOG_LEVEL: 'info',
      API_TOKEN: TOKEN,
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Batches go out at once rather than every 5 s: the test waits for them, not a clock.
      OTEL_BSP_SCHEDULE_DELAY: '10',
    });
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const parentSpanId = 'b7ad6b7169203331';
    const response = await fetch(`${api.url}/agents/not-there`, {
      headers: { ...auth, traceparent: `00-${traceId}-${parentSpanId}-01` },
    });
    expect(response.status).toBe(404);

    const request = await receiver.spanWhere(
      (span) => span.traceId === traceId && span.name === 'request',
    );
    expect(request.parentSpanId).toBe(parentSpanId);
    const get = await receiver.spanWhere(
      (span) => span.traceId === traceId && span.name === 'get agents',
    );
    const attributes = Object.fromEntries(
      (get.attributes as Array<{ key: string; value: Record<string, unknown> }>).map(
        ({ key, value }) => [key, Object.values(value)[0]],
      ),
    );
    expect(attributes).toMatchObject({
      'db.system.name': 'gofannon.memory',
      'db.operation.name': 'get',
      'db.collection.name': 'agents',
      'error.type': 'not_found',
    });
    // Under the request: directly, or under its handler's span.
    const ancestors = new Set([request.spanId]);
    for (const span of receiver.spans) {
      if (span.traceId === traceId && ancestors.has(span.parentSpanId as string)) {
        ancestors.add(span.spanId as string);
      }
    }
    expect(ancestors.has(get.parentSpanId as string)).toBe(true);

    await api.printed(/"msg":"request completed"/);
    const completed = api
      .output()
      .split('\n')
      .find((line) => line.includes('"msg":"request completed"'));
    expect(JSON.parse(completed as string)).toMatchObject({
      trace_id: traceId,
      span_id: request.spanId,
    });
  });
});
