import AxeBuilder from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { type Browser, type Page, chromium } from 'playwright-core';
import { expect } from 'vitest';
import { type TestContext, createTestServices } from '../support/services.ts';
import { testApp } from '../support/web.ts';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface BrowserHarness {
  ctx: TestContext;
  app: FastifyInstance;
  baseUrl: string;
  browser: Browser;
  page: Page;
  /** Every page visited, with its axe result, so a test can assert none had violations. */
  checked: string[];
  close(): Promise<void>;
}

/** `args`: extra Chromium flags for one test file (for example a fake microphone). */
export async function startBrowserHarness(opts: { args?: readonly string[]; env?: Record<string, string> } = {}): Promise<BrowserHarness> {
  const ctx = await createTestServices('pglite', opts.env ?? {});
  const app = await testApp(ctx);
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', ...(opts.args ?? [])],
  });
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  return {
    ctx,
    app,
    baseUrl,
    browser,
    page,
    checked: [],
    async close() {
      await browser.close();
      await app.close();
      await ctx.dispose();
    },
  };
}

/** Runs axe (WCAG 2.2 AA) on the current page and fails with the rule ids and targets if anything is found. */
export async function expectAccessible(h: BrowserHarness, label: string): Promise<void> {
  const results = await new AxeBuilder({ page: h.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  const problems = results.violations
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !isGovukConditionalReveal(v.id, n.html, n.failureSummary)) }))
    .filter((v) => v.nodes.length > 0)
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(problems, `axe violations on ${label} (${h.page.url()})`).toEqual([]);
  h.checked.push(label);
}

/**
 * govuk-frontend deliberately sets aria-expanded on radios and checkboxes that reveal conditional
 * questions (known issue alphagov/govuk-frontend#979: screen readers announce it, research found no
 * harm). Only that exact finding is set aside; any other ARIA problem on those inputs still fails.
 */
function isGovukConditionalReveal(rule: string, html: string, summary: string | undefined): boolean {
  return (
    rule === 'aria-allowed-attr' &&
    /class="govuk-(radios|checkboxes)__input"/.test(html) &&
    /aria-controls="conditional-/.test(html) &&
    /aria-expanded/.test(summary ?? '') &&
    !/aria-(?!expanded)[a-z]+=/.test((summary ?? '').replace(/aria-controls/g, ''))
  );
}
