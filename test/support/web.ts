import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify';
import type { Role } from '../../src/domain/access/roles.ts';
import { buildApp } from '../../src/web/app.ts';
import { enrolTestAuthenticator, nextSecondFactorCode } from './second-factor.ts';
import type { TestContext } from './services.ts';

/** A browser-like client for inject(): keeps cookies, reads CSRF tokens from the last page. */
export class WebClient {
  readonly app: FastifyInstance;
  private cookies = new Map<string, string>();
  lastHtml = '';

  constructor(app: FastifyInstance) {
    this.app = app;
  }

  /** The session cookie, for requests a test builds itself (multipart uploads, Range requests). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: LightMyRequestResponse): void {
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const cleared = c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now());
      if (cleared) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } });
    this.keep(res);
    if (res.headers['content-type']?.toString().startsWith('text/html')) this.lastHtml = res.body;
    return res;
  }

  csrfToken(html = this.lastHtml): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m?.[1]) throw new Error('No CSRF token on the page');
    return m[1];
  }

  /** Posts a form the way a browser would, with the CSRF token from `fromPage` (fetched first). */
  async post(
    url: string,
    form: Record<string, string | string[]>,
    opts: { fromPage?: string; csrf?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    const params = new URLSearchParams();
    if (opts.csrf !== false) {
      if (opts.fromPage) await this.get(opts.fromPage);
      params.append('_csrf', this.csrfToken());
    }
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: params.toString(),
    });
    this.keep(res);
    if (res.headers['content-type']?.toString().startsWith('text/html')) this.lastHtml = res.body;
    return res;
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }
}

export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * Signs the client in with a password and the second factor (the user's authenticator app is set up through
 * the service first if it is not already). Returns the last response: the redirect into the service.
 */
export async function signInWithSecondFactor(
  ctx: TestContext,
  client: WebClient,
  user: { id: string; email: string },
  opts: { password?: string; returnTo?: string } = {},
): Promise<LightMyRequestResponse> {
  await enrolTestAuthenticator(ctx, user.id);
  const form: Record<string, string> = { email: user.email, password: opts.password ?? TEST_PASSWORD };
  if (opts.returnTo) form['returnTo'] = opts.returnTo;
  const res = await client.post('/sign-in', form, { fromPage: '/sign-in' });
  if (res.statusCode !== 303 || !res.headers.location?.toString().startsWith('/sign-in/second-factor'))
    throw new Error(`sign-in failed: ${res.statusCode}`);
  const page = await client.get(res.headers.location.toString());
  const returnTo = /name="returnTo" value="([^"]*)"/.exec(page.body)?.[1] ?? '/';
  return client.post('/sign-in/second-factor', {
    code: await nextSecondFactorCode(ctx, user.id),
    returnTo: returnTo.replace(/&#x2F;|&#47;/g, '/'),
  });
}

/** Creates a user directly through the service and signs a new client in as them. */
export async function signedInClient(
  ctx: TestContext,
  app: FastifyInstance,
  user: { email: string; name: string; roles: Role[] },
): Promise<{ client: WebClient; userId: string }> {
  const existing = await ctx.services.accounts.findUserByEmail(user.email);
  const created =
    existing ??
    (await ctx.services.accounts.createUser(
      { ...user, password: TEST_PASSWORD },
      { actor: { id: null, label: 'test' } },
    ));
  const client = new WebClient(app);
  const res = await signInWithSecondFactor(ctx, client, { id: created.id, email: user.email });
  if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode}`);
  return { client, userId: created.id };
}

export async function testApp(ctx: TestContext, onRoute?: (route: RouteOptions) => void): Promise<FastifyInstance> {
  const app = await buildApp(ctx.services, { logger: false, onRoute });
  await app.ready();
  return app;
}
