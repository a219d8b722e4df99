import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify';
import type { Role } from '../../src/domain/access/roles.ts';
import { buildApp } from '../../src/web/app.ts';
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
  const res = await client.post('/sign-in', { email: user.email, password: TEST_PASSWORD }, { fromPage: '/sign-in' });
  if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode}`);
  return { client, userId: created.id };
}

export async function testApp(ctx: TestContext, onRoute?: (route: RouteOptions) => void): Promise<FastifyInstance> {
  const app = await buildApp(ctx.services, { logger: false, onRoute });
  await app.ready();
  return app;
}
