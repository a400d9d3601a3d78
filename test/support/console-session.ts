// A browser's session in the console, without a browser: the login form's CSRF cookie, then the
// session cookie the login post sets. For tests that read console pages or post its forms.
export interface ConsoleSession {
  csrf: string;
  /** The Cookie header a browser would send from now on. */
  cookie: string;
}

export async function consoleSession(url: string, username: string, password = 'demo'): Promise<ConsoleSession> {
  const form = await fetch(`${url}/app/login`);
  const csrf = /cf_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1]!;
  const res = await fetch(`${url}/app/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cf_csrf=${csrf}` },
    body: new URLSearchParams({ username, password, csrf }),
    redirect: 'manual',
  });
  return { csrf, cookie: `cf_csrf=${csrf}; cf_session=${/cf_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]}` };
}
