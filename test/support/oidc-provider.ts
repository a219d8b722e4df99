/**
 * A real OpenID Connect provider (oidc-provider) on 127.0.0.1 for the council sign-in tests, with one client
 * registered for the service, its development login and consent pages, and RP-initiated sign-out. Anyone may sign
 * in with any password; `people` gives each login's name, email and groups.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestPerson {
  name: string;
  email: string;
  groups?: string[];
}

export const TEST_CLIENT_ID = 'cpcr-test-client';
export const TEST_CLIENT_SECRET = 'a-test-client-secret-that-is-long-enough-for-hs256';

export interface TestProvider {
  issuer: string;
  /** The OIDC_* settings for the service under test. */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export async function startTestProvider(opts: {
  /** The service's public address (PUBLIC_BASE_URL), where the provider sends people back. */
  serviceBaseUrl: string;
  people: Record<string, TestPerson>;
}): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT_ID,
        client_secret: TEST_CLIENT_SECRET,
        redirect_uris: [`${opts.serviceBaseUrl}/sign-in/council/callback`],
        post_logout_redirect_uris: [`${opts.serviceBaseUrl}/sign-in/council/signed-out`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    findAccount: (_ctx: unknown, id: string) => {
      const person = opts.people[id];
      if (!person) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, name: person.name, email: person.email, groups: person.groups ?? [] }),
      };
    },
    claims: { openid: ['sub', 'groups'], profile: ['name'], email: ['email'] },
    // Entra ID puts the person's claims in the ID token; so does this provider.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['test-provider-cookie-key'] },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    env: (extra = {}) => ({
      PUBLIC_BASE_URL: opts.serviceBaseUrl,
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: TEST_CLIENT_ID,
      OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET,
      ...extra,
    }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A browser at the provider: keeps its cookies, follows its redirects, fills in its login and consent pages. */
export class ProviderBrowser {
  private cookies = new Map<string, string>();
  private readonly serviceBaseUrl: string;

  constructor(serviceBaseUrl: string) {
    this.serviceBaseUrl = serviceBaseUrl;
  }

  private async request(url: string, init: { method?: string; body?: URLSearchParams } = {}): Promise<Response> {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(init.body ? { body: init.body.toString() } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /**
   * From the provider's address (as the service redirected to it) until the provider sends the browser back to the
   * service: signs in as `login` and consents when asked. Returns the service path (with its query) to open next.
   */
  async signIn(authorizationUrl: string, login: string): Promise<string> {
    let url = authorizationUrl;
    let body: URLSearchParams | undefined;
    for (let step = 0; step < 20; step++) {
      if (url.startsWith(this.serviceBaseUrl)) return url.slice(this.serviceBaseUrl.length);
      const res = await this.request(url, body ? { method: 'POST', body } : {});
      body = undefined;
      const location = res.headers.get('location');
      if (location) {
        url = new URL(location, url).href;
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`the provider answered ${res.status}: ${html.slice(0, 500)}`);
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`no form on the provider's page: ${html.slice(0, 500)}`);
      url = new URL(action.replaceAll('&amp;', '&'), url).href;
      const fields = new URLSearchParams();
      for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g))
        fields.append(m[1]!, m[2]!);
      if (fields.get('prompt') === 'login') {
        fields.set('login', login);
        fields.set('password', 'any password');
      }
      if (/name="logout"/.test(html)) fields.set('logout', 'yes');
      body = fields;
    }
    throw new Error('the provider did not send the browser back to the service');
  }
}
