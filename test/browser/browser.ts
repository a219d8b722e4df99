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
export async function startBrowserHarness(
  opts: { args?: readonly string[]; env?: Record<string, string>; port?: number } = {},
): Promise<BrowserHarness> {
  const ctx = await createTestServices('pglite', opts.env ?? {});
  const app = await testApp(ctx);
  const baseUrl = await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      ...(opts.args ?? []),
    ],
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
  // Scan the page as loaded, never one still arriving after a click.
  await h.page.waitForLoadState('load');
  const results = await new AxeBuilder({ page: h.page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const problems = results.violations
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !isGovukConditionalReveal(v.id, n.html, n.failureSummary)) }))
    .filter((v) => v.nodes.length > 0)
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(problems, `axe violations on ${label} (${h.page.url()})`).toEqual([]);
  await expectFitsPhone(h, label);
  // SHOTS=<folder>: a full-page screenshot of every page checked, numbered in order, to look through a journey.
  const shots = process.env['SHOTS'];
  if (shots) {
    const name = `${String(h.checked.length).padStart(2, '0')}-${label.replace(/[^a-z0-9]+/gi, '-')}.png`;
    await h.page.screenshot({ path: `${shots}/${name}`, fullPage: true });
  }
  h.checked.push(label);
}

/** The narrowest common phone (an iPhone SE or mini) in CSS pixels: WCAG 1.4.10 reflow asks for 320. */
export const PHONE_WIDTH = 375;

/**
 * The page, laid out at phone width, must not scroll sideways as a whole: wide tables scroll inside
 * their own region and long strings wrap. Fails naming the element that sticks out furthest.
 */
export async function expectFitsPhone(h: BrowserHarness, label: string): Promise<void> {
  const original = h.page.viewportSize();
  await h.page.setViewportSize({ width: PHONE_WIDTH, height: original?.height ?? 720 });
  try {
    const overflow = await h.page.evaluate<string | null>(`(${WIDEST_OVERFLOW})(${PHONE_WIDTH})`);
    expect(overflow, `page wider than a ${PHONE_WIDTH}px phone on ${label} (${h.page.url()})`).toBeNull();
  } finally {
    if (original) await h.page.setViewportSize(original);
  }
}

/**
 * Runs in the page (as source text: this project compiles without the DOM's types): null when it
 * fits, else the page width and the element reaching furthest right.
 */
const WIDEST_OVERFLOW = `(width) => {
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= width) return null;
  // An element inside a box that clips or scrolls sideways cannot widen the page: only the box can.
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const furthest = (skipClipped) => {
    let worst = null;
    for (const el of document.body.querySelectorAll('*')) {
      const right = el.getBoundingClientRect().right + window.scrollX;
      if (right <= width || (skipClipped && clipped(el))) continue;
      // The furthest right wins; at the same edge the innermost element is the more useful name.
      if (!worst || right > worst.right + 0.5 || (Math.abs(right - worst.right) <= 0.5 && worst.el.contains(el))) worst = { el, right };
    }
    return worst;
  };
  // An absolutely positioned element escapes a scrolling box that is not its containing block, so
  // when nothing outside such a box sticks out, name the furthest element inside one.
  const worst = furthest(true) ?? furthest(false);
  if (!worst) return 'page is ' + scrollWidth + 'px wide';
  const el = worst.el;
  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + Array.from(el.classList).map((c) => '.' + c).join('');
  const text = (el.textContent ?? '').replace(/\\s+/g, ' ').trim().slice(0, 60);
  return 'page is ' + scrollWidth + 'px wide; widest: ' + name + ' reaching ' + Math.round(worst.right) + 'px ("' + text + '")';
}`;

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
