import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../../', import.meta.url);

interface Service {
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  command?: string[];
  volumes?: string[];
}

async function yamlAt(path: string): Promise<Record<string, unknown>> {
  return parse(await readFile(new URL(path, root), 'utf8'), { merge: true });
}

// Docker is not on these machines: these read the files as `docker compose` would.
describe('docker-compose.yml', () => {
  it('publishes every port on 127.0.0.1 only', async () => {
    const compose = (await yamlAt('docker-compose.yml')) as { services: Record<string, Service> };
    const ports = Object.values(compose.services).flatMap((service) => service.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('has a telemetry profile: a collector taking OTLP/HTTP for Jaeger, and tracing off by default', async () => {
    const compose = (await yamlAt('docker-compose.yml')) as { services: Record<string, Service> };
    const { 'otel-collector': collector, jaeger } = compose.services;
    expect(collector?.profiles).toEqual(['telemetry']);
    expect(jaeger?.profiles).toEqual(['telemetry']);
    const mounted = collector?.volumes?.[0]?.split(':') ?? [];
    expect(collector?.command).toContain(`--config=${mounted[1]}`);
    // Every API service reads the endpoint from the environment, empty (off) unless given.
    const apis = Object.entries(compose.services).filter(([name]) => name.startsWith('api-'));
    expect(apis.length).toBe(5);
    for (const [, api] of apis) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own substitution
      expect(api.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('${OTEL_EXPORTER_OTLP_ENDPOINT:-}');
    }
    const config = (await yamlAt(String(mounted[0]).replace(/^\.\//, ''))) as {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      exporters: Record<string, { endpoint: string }>;
      service: { pipelines: { traces: { receivers: string[]; exporters: string[] } } };
    };
    expect(config.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    const [exporter] = config.service.pipelines.traces.exporters;
    expect(config.exporters[exporter as string]?.endpoint).toBe('jaeger:4317');
  });
});
