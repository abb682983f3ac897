import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from './support/api';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'docs-test-token-0123456789';

/**
 * Flags for a headless Chromium on a closed network: no sandbox (tests may run as root),
 * and none of the background connections a fresh profile otherwise makes to Google.
 * Playwright gives each launch a new empty profile directory of its own.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const available = existsSync(CHROMIUM);
if (!available) {
  const message = `SKIPPED: the Swagger UI browser test needs Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`;
  if (process.env.CI) throw new Error(message);
  console.warn(`\n${'!'.repeat(80)}\n${message}\n${'!'.repeat(80)}\n`);
}

describe.skipIf(!available)('the Swagger UI at /docs in headless Chromium', () => {
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  beforeAll(async () => {
    app = await startApi({ DATABASE_PROVIDER: 'memory' }, { apiToken: TOKEN });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('renders every route of the API, with the token', async () => {
    const context = await browser.newContext({
      extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` },
    });
    try {
      const page = await context.newPage();
      const failed: string[] = [];
      const offMachine: string[] = [];
      page.on('requestfailed', (request) => failed.push(request.url()));
      page.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith(baseUrl) && !url.startsWith('data:')) offMachine.push(url);
      });
      await page.goto(`${baseUrl}/docs`);
      await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
      expect(await page.locator('.info .title').textContent()).toContain('Gofannon API');
      const routes = await page.locator('.opblock-summary-path').allInnerTexts();
      const normalised = routes.map((route) => route.replace(/\u200b/g, '').trim());
      for (const route of [
        '/health',
        '/agents',
        '/agents/{id}',
        '/agents/{id}/deploy',
        '/deployments',
        '/users/{id}/usage',
        '/sessions/{id}/messages',
        '/tickets/{id}/status',
        '/demos/{id}',
      ]) {
        expect(normalised, route).toContain(route);
      }
      expect(failed).toEqual([]);
      expect(offMachine).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('is refused without the token', async () => {
    const context = await browser.newContext();
    try {
      const response = await (await context.newPage()).goto(`${baseUrl}/docs`);
      expect(response?.status()).toBe(401);
    } finally {
      await context.close();
    }
  });
});
