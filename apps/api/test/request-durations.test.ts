import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { RequestDurations } from '../src/telemetry/request-durations';

/** Prometheus text of what a reader made with these producers collects. */
async function prometheusText(
  record: (producer: RequestDurations, provider: MeterProvider) => void,
): Promise<string> {
  const producer = new RequestDurations();
  const exporter = new PrometheusExporter({
    preventServerStart: true,
    metricProducers: [producer],
  });
  const provider = new MeterProvider({ readers: [exporter] });
  record(producer, provider);
  const { resourceMetrics, errors } = await exporter.collect();
  expect(errors).toEqual([]);
  await provider.shutdown();
  return new PrometheusSerializer().serialize(resourceMetrics);
}

/** The sample lines, without the scope labels each side names differently. */
function sampleLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('http_server_request_duration'))
    .map((line) => line.replace(/otel_scope_\w+="[^"]*",?/g, ''))
    .sort();
}

// Every bucket, both edges of one (upper bounds are inclusive), and two series.
const MEASUREMENTS: Array<[string, string, number, number]> = [
  ['GET', '/agents/:id', 200, 0.0001],
  ['GET', '/agents/:id', 200, 0.005],
  ['GET', '/agents/:id', 200, 0.0051],
  ['GET', '/agents/:id', 200, 0.02],
  ['GET', '/agents/:id', 200, 0.3],
  ['GET', '/agents/:id', 200, 4.9],
  ['GET', '/agents/:id', 200, 7],
  ['GET', '/agents/:id', 404, 0.001],
  ['PUT', '/demos/:id', 201, 0.07],
];

describe('http.server.request.duration, aggregated by the API', () => {
  it("reads in Prometheus text exactly as the SDK's own histogram with the same buckets", async () => {
    const ours = await prometheusText((producer) => {
      for (const [method, route, status, seconds] of MEASUREMENTS) {
        producer.record(method, route, status, seconds);
      }
    });
    const sdk = await prometheusText((_producer, provider) => {
      const histogram = provider
        .getMeter('@gofannon/api')
        .createHistogram('http.server.request.duration', {
          description: 'Duration of HTTP server requests',
          unit: 's',
          advice: {
            explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
          },
        });
      for (const [method, route, status, seconds] of MEASUREMENTS) {
        histogram.record(seconds, {
          'http.request.method': method,
          'http.route': route,
          'http.response.status_code': status,
        });
      }
    });
    expect(sampleLines(ours).length).toBeGreaterThan(20);
    expect(sampleLines(ours)).toEqual(sampleLines(sdk));
    expect(ours).toContain('# TYPE http_server_request_duration histogram');
    expect(ours).toContain('# HELP http_server_request_duration Duration of HTTP server requests');
  });

  it('counts cumulatively, each series on its own', async () => {
    const text = await prometheusText((producer) => {
      producer.record('GET', '/agents/:id', 200, 0.003);
      producer.record('GET', '/agents/:id', 200, 0.2);
      producer.record('GET', '/agents/:id', 500, 0.2);
    });
    const line = (le: string, status: number) =>
      text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('http_server_request_duration_bucket') &&
            l.includes(`http_response_status_code="${status}"`) &&
            l.includes(`le="${le}"`),
        );
    expect(line('0.005', 200)).toMatch(/ 1$/);
    expect(line('0.25', 200)).toMatch(/ 2$/);
    expect(line('+Inf', 200)).toMatch(/ 2$/);
    expect(line('0.1', 500)).toMatch(/ 0$/);
    expect(line('0.25', 500)).toMatch(/ 1$/);
  });

  it('shows nothing before the first request', async () => {
    const text = await prometheusText(() => {});
    expect(text).not.toContain('http_server_request_duration');
  });
});
