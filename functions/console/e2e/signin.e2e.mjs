// The console's sign-in, in Chromium, against local mode configured with an OIDC issuer (functions/local's
// ConsoleSignInBrowserTest, with a stand-in issuer on loopback): opening a page sends the browser to the issuer with a
// PKCE challenge, it comes back with a code, the page exchanges it for an access token, lands on the page first asked
// for, sends the token with every API call, and offers the projects the token's claim lists.
//
// Environment: LIFEBOAT_URL, ISSUER, SCREENSHOTS, CHROMIUM.

import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const BASE = env('LIFEBOAT_URL');
const ISSUER = env('ISSUER');
const jsErrors = [];
const unexpected = [];
let passed = 0;

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  passed++;
}

async function main() {
  mkdirSync(env('SCREENSHOTS'), { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'lifeboat-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: env('CHROMIUM'),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
    timezoneId: 'UTC',
    locale: 'en-GB',
  });
  try {
    context.setDefaultTimeout(60_000);
    const page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', (e) => jsErrors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) jsErrors.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) unexpected.push(`${r.request().method()} ${r.url()} answered ${r.status()}`);
    });
    const sent = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${BASE}/v1/`)) sent.push(r.headers().authorization ?? '(none)');
    });
    await context.route((url) => !url.href.startsWith(BASE) && !url.href.startsWith(ISSUER), (route) => {
      unexpected.push(`request outside the API and the issuer: ${route.request().url()}`);
      return route.abort();
    });

    console.log('-- opening a page signs in at the issuer and comes back to it');
    await page.goto(`${BASE}/#/locations`);
    await page.getByRole('heading', { name: 'Backup locations' }).waitFor();
    await page.locator('tr[data-location="local"]').waitFor();
    check(page.url() === `${BASE}/#/locations`, `back on the page asked for, without the code: ${page.url()}`);
    check(sent.length > 0, 'the page called the API');
    const headers = [...new Set(sent)];
    check(headers.length === 1 && /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(headers[0]), `every call sends the token: ${headers}`);
    console.log(`sent: ${headers[0]}`);
    const projects = await page.getByLabel('Project').locator('option').evaluateAll((o) => o.map((e) => e.value));
    check(JSON.stringify(projects) === JSON.stringify(['default', 'team-b']), `the token's projects are offered: ${projects}`);
    check(await page.getByRole('button', { name: 'Sign out' }).isVisible(), 'the user can sign out');
    await page.screenshot({ path: join(env('SCREENSHOTS'), 'signed-in.png'), fullPage: true });

    console.log('-- a reload keeps the session: no second sign-in');
    await page.reload();
    await page.locator('tr[data-location="local"]').waitFor();
    check(page.url() === `${BASE}/#/locations`, 'still on the page after a reload');

    check(jsErrors.length === 0, `no JavaScript errors: ${jsErrors.join('; ')}`);
    check(unexpected.length === 0, `no unexpected answers: ${unexpected.join('; ')}`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().then(() => {
  console.log(`${passed} passed, 0 failed (console sign-in e2e)`);
}).catch((e) => {
  console.error(`FAILED: ${e.stack ?? e}`);
  if (jsErrors.length) console.error(`JavaScript errors: ${jsErrors.join('\n')}`);
  if (unexpected.length) console.error(`Unexpected answers: ${unexpected.join('\n')}`);
  console.log(`${passed} passed, 1 failed (console sign-in e2e)`);
  process.exitCode = 1;
});
