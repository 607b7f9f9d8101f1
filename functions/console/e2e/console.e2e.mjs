// The console in a real browser: Debian's Chromium driven by playwright-core, against a running local mode (started
// by the JUnit test that runs this script, functions/local's ConsoleBrowserTest). Each step acts as a user would
// (keyboard and clicks), waits for a state (never for a time), and saves a screenshot. It fails on any JavaScript
// error in the page, and on any API answer the step did not ask for (a 5xx, or a 4xx outside the field-error checks).
//
// Environment: LIFEBOAT_URL (the API, e.g. http://127.0.0.1:8080), S3_URL, S3_ACCESS_KEY, S3_SECRET_KEY (the local
// S3), E2E_BUCKET (a bucket that exists there and no location holds), E2E_KUBECONFIG (sandbox-2's kubeconfig file),
// E2E_STORAGE_CLASS (a storage class sandbox-2 offers), E2E_RUN (a suffix for the names this run creates; optional),
// SCREENSHOTS (a folder), CHROMIUM (the browser's path).

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
const SHOTS = env('SCREENSHOTS');
const STATE_TIMEOUT = 180_000; // generous: CI machines have 2 cores and other work
// names unique to this run (the JUnit test gives it, to check the results), so that a rerun on the same data works
const RUN = process.env.E2E_RUN ?? Date.now().toString(36).slice(-5);

const jsErrors = [];
const unexpected = [];
const allowedStatus = []; // [urlPart, status] the current step provokes on purpose
let shot = 0;
let passed = 0;

function step(name) {
  console.log(`-- ${name}`);
}

async function screenshot(page, name) {
  const file = join(SHOTS, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`   screenshot ${file}`);
}

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  passed++;
}

async function textOf(locator) {
  return (await locator.innerText()).trim();
}

async function main() {
  mkdirSync(SHOTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'lifeboat-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: env('CHROMIUM'),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    timezoneId: 'UTC',
    reducedMotion: 'reduce', // progress bars drawn at their value at once, for the screenshots
    locale: 'en-GB',
  });
  try {
    context.setDefaultTimeout(30_000);
    const page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', (e) => jsErrors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // a failed request is logged by Chromium as "Failed to load resource"; answers are judged below instead
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) jsErrors.push(`console: ${m.text()}`);
    });
    page.on('dialog', (d) => d.accept());
    page.on('response', (r) => {
      const status = r.status();
      if (status < 400) return;
      const ok = allowedStatus.some(([part, s]) => r.url().includes(part) && s === status);
      if (!ok) unexpected.push(`${r.request().method()} ${r.url()} answered ${status}`);
    });
    // nothing but the local API may be asked for: no CDN, no font service
    await context.route((url) => !url.href.startsWith(BASE), (route) => {
      unexpected.push(`request outside the API: ${route.request().url()}`);
      return route.abort();
    });

    await locations(page);
    await clusters(page);
    const backup = await backUp(page);
    await backupDetails(page, backup);
    await dryRun(page, backup);
    const before = await backUpByApi(page, `e2e-before-${RUN}`, 'sandbox-2');
    await restore(page, backup);
    await diff(page, before, await backUpByApi(page, `e2e-after-${RUN}`, 'sandbox-2'));
    await schedules(page);
    await workspaces(page);
    await keyboard(page);
    await emptyStates(page);

    check(jsErrors.length === 0, `no JavaScript errors: ${jsErrors.join('; ')}`);
    check(unexpected.length === 0, `no unexpected answers: ${unexpected.join('; ')}`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Add a location on a real bucket (Available), see a field error at its field, and a wrong bucket's reason. */
async function locations(page) {
  step('backup locations: add one, see it Available; a bad name at its field; a wrong bucket and its reason');
  await page.goto(`${BASE}/#/locations`);
  await page.getByRole('heading', { name: 'Backup locations' }).waitFor();
  await page.locator('tr[data-location="local"]').waitFor();

  const fill = async (name, bucket) => {
    await page.getByRole('button', { name: 'Add location' }).click();
    const form = page.getByRole('form', { name: 'Add location' });
    await form.getByLabel('MinIO or S3-compatible').check();
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Bucket', { exact: true }).fill(bucket);
    await form.getByLabel('S3 URL').fill(env('S3_URL'));
    await form.getByLabel('Access key ID').fill(env('S3_ACCESS_KEY'));
    await form.getByLabel('Secret access key').fill(env('S3_SECRET_KEY'));
    return form;
  };

  // a bucket name S3 refuses: the API's 400 names the field, and the form shows it there
  allowedStatus.push(['/locations', 400]);
  let form = await fill(`bad-${RUN}`, 'Not_A_Bucket');
  await form.getByRole('button', { name: 'Add location' }).click();
  const error = form.locator('.field-error[data-field="bucket"]');
  await error.waitFor();
  check((await textOf(error)).includes('is not a valid bucket name'), 'the bucket error is shown at the bucket field');
  check(await form.getByLabel('Bucket', { exact: true }).getAttribute('aria-invalid') === 'true', 'the bucket field is marked invalid');
  await screenshot(page, 'location-field-error');
  allowedStatus.pop();
  await page.getByRole('button', { name: 'Cancel' }).click();

  // a good one, which encrypts every backup with the local key (under a prefix: the bucket holds another below)
  const good = `e2e-${RUN}`;
  form = await fill(good, env('E2E_BUCKET'));
  await form.getByLabel('Prefix (optional)').fill('sealed');
  await form.getByLabel('KMS key for encryption').fill('alias/lifeboat-local');
  await form.getByRole('button', { name: 'Add location' }).click();
  const goodRow = page.locator(`tr[data-location="${good}"]`);
  await settled(goodRow, form);
  await goodRow.locator('.phase-Available').waitFor({ timeout: STATE_TIMEOUT });
  check(await goodRow.getByText('MinIO or S3-compatible').isVisible(), 'the provider is shown');
  check((await textOf(goodRow.locator('[data-protection]'))) === 'encrypted (alias/lifeboat-local)',
    'the location says it encrypts, and with which key');

  // one that locks objects, on a store without Object Lock (s3proxy): days without a mode is refused at the mode's
  // field; with both, added, and Unavailable saying why
  const locked = `locked-${RUN}`;
  form = await fill(locked, env('E2E_BUCKET'));
  await form.getByLabel('Prefix (optional)').fill('locked');
  await form.getByLabel('Lock for days').fill('7');
  allowedStatus.push(['/locations', 400]);
  await form.getByRole('button', { name: 'Add location' }).click();
  const modeError = form.locator('.field-error[data-field="immutability.mode"]');
  await modeError.waitFor();
  check((await textOf(modeError)).includes('governance or compliance'), 'a lock without its mode is refused at the mode');
  allowedStatus.pop();
  await form.getByLabel('Lock mode').selectOption('compliance');
  await form.getByRole('button', { name: 'Add location' }).click();
  const lockedRow = page.locator(`tr[data-location="${locked}"]`);
  await settled(lockedRow, form);
  await lockedRow.locator('.phase-Unavailable').waitFor({ timeout: STATE_TIMEOUT });
  check((await textOf(lockedRow.locator('[data-reason]'))) === 'ImmutabilityNotEnabled',
    'a store without Object Lock is named as the reason');
  check((await textOf(lockedRow.locator('[data-protection]'))) === 'locked 7 days, compliance', 'the lock is shown');

  const wrong = `nobucket-${RUN}`;
  form = await fill(wrong, `missing-${RUN}`);
  await form.getByRole('button', { name: 'Add location' }).click();
  const wrongRow = page.locator(`tr[data-location="${wrong}"]`);
  await settled(wrongRow, form);
  await wrongRow.locator('.phase-Unavailable').waitFor({ timeout: STATE_TIMEOUT });
  check((await textOf(wrongRow.locator('[data-reason]'))) === 'NoSuchBucket', 'the wrong bucket shows reason NoSuchBucket');

  // Validate now checks it again and keeps the reason
  await wrongRow.getByRole('button', { name: new RegExp(`Validate now ${wrong}`) }).click();
  await wrongRow.getByRole('button', { name: new RegExp(`Validate now ${wrong}`) }).and(page.locator(':enabled')).waitFor();
  check((await textOf(wrongRow.locator('[data-reason]'))) === 'NoSuchBucket', 'validated again: still NoSuchBucket');
  await screenshot(page, 'locations');
}

/** Waits until the form's request is answered: the row it adds appears, or the form shows an error (a failure). */
async function settled(row, form) {
  const error = form.locator('.banner.error, .field-error');
  await Promise.race([row.waitFor({ timeout: STATE_TIMEOUT }), error.first().waitFor({ timeout: STATE_TIMEOUT })]);
  if (await error.count() > 0) {
    throw new Error(`the form was refused: ${await error.first().innerText()}`);
  }
}

async function clusters(page) {
  step('clusters: both sandboxes Healthy, with their Kubernetes version');
  await page.getByRole('link', { name: 'Clusters' }).click();
  await page.getByRole('heading', { name: 'Clusters', exact: true }).waitFor();
  for (const name of ['sandbox', 'sandbox-2']) {
    const row = page.locator(`tr[data-cluster="${name}"]`);
    await row.locator('.phase-Healthy').waitFor();
    check(/^v1\./.test(await textOf(row.locator('td').nth(1))), `${name} shows its Kubernetes version`);
  }
  // register sandbox-2 again under another name, its kubeconfig uploaded as a file; it turns TLS verification off,
  // which the API refuses (at the check box) until the user allows it
  await page.getByRole('button', { name: 'Register cluster' }).click();
  const form = page.getByRole('form', { name: 'Register cluster' });
  const name = `e2e-copy-${RUN}`;
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('…or upload the kubeconfig file').setInputFiles(env('E2E_KUBECONFIG'));
  await page.waitForFunction(() => document.querySelector('textarea[name="kubeconfig"]')?.value.includes('apiVersion'));
  allowedStatus.push(['/clusters', 400]);
  await form.getByRole('button', { name: 'Register cluster' }).click();
  await form.locator('.field-error[data-field="allowInsecureTls"]').waitFor();
  check((await textOf(form.locator('.field-error[data-field="allowInsecureTls"]'))).includes('must be true'),
    'the refusal is shown at the TLS check box');
  allowedStatus.pop();
  await form.getByLabel('Allow a kubeconfig that turns TLS verification off').check();
  await form.getByRole('button', { name: 'Register cluster' }).click();
  const row = page.locator(`tr[data-cluster="${name}"]`);
  await settled(row, form);
  await row.locator('.phase-Healthy').waitFor();
  await screenshot(page, 'clusters');
}

/** Back up the sandbox from its page and watch the progress bar reach Completed. */
async function backUp(page) {
  step('back up the sandbox and watch its progress bar reach Completed');
  await page.getByRole('link', { name: 'sandbox', exact: true }).click();
  await page.getByRole('heading', { name: /sandbox\s+Backup\/Restore/ }).waitFor();
  await page.getByRole('button', { name: 'Back up now' }).click();
  const form = page.getByRole('form', { name: 'Back up now' });
  const name = `e2e-backup-${RUN}`;
  await form.getByLabel('Backup name').fill(name);
  await form.getByLabel('Location', { exact: true }).selectOption('local');
  await form.getByLabel('Verify its files once it has finished').check();
  await form.getByRole('button', { name: 'Start backup' }).click();
  const bar = page.locator(`tr[data-backup="${name}"] [role="progressbar"]`);
  await bar.waitFor();
  await page.locator(`tr[data-backup="${name}"] [role="progressbar"][data-phase="Completed"]`).waitFor({ timeout: STATE_TIMEOUT });
  check(await bar.getAttribute('aria-valuenow') === '100', 'the progress bar is full');
  const items = Number(await textOf(page.locator(`tr[data-backup="${name}"] td`).nth(3)));
  check(items > 10, `the backup counts its items (${items})`);
  await page.locator(`figure[data-chart="sandbox"] svg`).waitFor();
  await screenshot(page, 'cluster-sandbox');
  return name;
}

async function backupDetails(page, backup) {
  step('a backup\'s details: per-type counts, warnings and errors, volume snapshots, resource list, log');
  await page.getByRole('link', { name: backup }).click();
  await page.getByRole('heading', { name: `Backup ${backup}` }).waitFor();
  const types = page.getByRole('table', { name: 'Resource types' });
  await types.waitFor();
  check(await types.getByText('deployments.apps').isVisible(), 'per-type counts list deployments.apps');
  await page.getByText('No warnings and no errors').waitFor();
  await page.getByText('No volume snapshots').waitFor();
  await page.locator('details.resource-list summary').click();
  check(await page.getByText('demo/web').first().isVisible(), 'the resource list names demo/web');
  await page.locator('details.log summary').click();
  await page.locator('details.log pre', { hasText: `backup ${backup} Completed` }).waitFor();
  check(true, 'the log is shown');
  // asked for with the backup (verifyAfter): done by its run once it finished
  await page.locator('[data-verification="Passed"]').waitFor({ timeout: STATE_TIMEOUT });
  check(/Passed \d+ items, 0 problems/.test(await textOf(page.locator('[data-verification]'))),
    'the backup verified once it finished: Passed with no problems');
  const first = await page.locator('[data-verification]').getAttribute('data-verified-at');
  await page.getByRole('button', { name: 'Verify now' }).click();
  await page.waitForFunction((at) => {
    const dd = document.querySelector('[data-verification="Passed"]');
    return dd !== null && dd.getAttribute('data-verified-at') !== at;
  }, first, { timeout: STATE_TIMEOUT });
  check(true, 'Verify now: verified again, Passed');
  await screenshot(page, 'backup-details');
}

/** A dry run of the backup's demo namespace into sandbox-2: its page shows the plan, each object to be created. */
async function dryRun(page, backup) {
  step('a dry run of a restore: its plan, object by object, and nothing written');
  await page.getByRole('link', { name: 'Restore…' }).click();
  await page.getByRole('heading', { name: `Restore ${backup}` }).waitFor();
  const form = page.getByRole('form', { name: 'Restore' });
  const name = `e2e-dry-${RUN}`;
  await form.getByLabel('Restore name').fill(name);
  await form.getByLabel('Target cluster').selectOption('sandbox-2');
  await form.getByLabel('demo', { exact: true }).check();
  await form.getByLabel(/Dry run/).check();
  await form.getByRole('button', { name: 'Plan a restore into sandbox-2' }).click();
  await page.getByRole('heading', { name: `Restore ${name}` }).waitFor();
  await page.getByRole('status').filter({ hasText: 'A dry run: nothing is written to sandbox-2.' }).waitFor();
  const item = page.locator('tr[data-plan-item="configmaps demo/web-config"]');
  await item.waitFor({ timeout: STATE_TIMEOUT });
  // created, or identical when an earlier test of this local mode restored demo into sandbox-2 as it is
  check(['create', 'identical'].includes(await item.getAttribute('data-action')), 'the plan says what it would do with demo/web-config');
  check(/would create \d+, update 0, leave \d+ that differ, skip \d+ identical/.test(await textOf(page.locator('[data-plan]'))),
    'the plan counts what it would do');
  await screenshot(page, 'dry-run');
  await page.getByRole('link', { name: backup }).click();
  await page.getByRole('heading', { name: `Backup ${backup}` }).waitFor();
}

/** Restore into sandbox-2, namespace demo under a new name, gp2 mapped to a class sandbox-2 offers. */
async function restore(page, backup) {
  step('restore into sandbox-2 with a namespace and a storage class mapped; see it on sandbox-2\'s page');
  await page.getByRole('link', { name: 'Restore…' }).click();
  await page.getByRole('heading', { name: `Restore ${backup}` }).waitFor();
  const form = page.getByRole('form', { name: 'Restore' });
  const name = `e2e-restore-${RUN}`;
  await form.getByLabel('Restore name').fill(name);
  await form.getByLabel('Target cluster').selectOption('sandbox-2');
  await form.getByLabel('demo', { exact: true }).check();
  const target = `demo-${RUN}`;
  await form.getByLabel('New name for namespace demo').fill(target);
  const classSelect = form.locator('select[data-map-class="gp2"]');
  const storageClass = env('E2E_STORAGE_CLASS');
  await classSelect.locator(`option[value="${storageClass}"]`).waitFor({ state: 'attached' });
  await classSelect.selectOption(storageClass);
  await form.getByLabel('Preserve NodePorts').uncheck();
  await form.getByLabel(/Update them/).check();
  await screenshot(page, 'restore-form');
  await form.getByRole('button', { name: 'Restore into sandbox-2' }).click();
  await page.getByRole('heading', { name: /sandbox-2\s+Backup\/Restore/ }).waitFor();
  const row = page.locator(`tr[data-restore="${name}"]`);
  await row.waitFor();
  await row.locator('[role="progressbar"][data-phase="Completed"]').waitFor({ timeout: STATE_TIMEOUT });
  await screenshot(page, 'cluster-sandbox-2');
  await row.getByRole('link', { name }).click();
  await page.getByRole('heading', { name: `Restore ${name}` }).waitFor();
  check((await page.locator('dl.facts').innerText()).includes(`demo → ${target}`), 'the restore shows its namespace mapping');
  check((await page.locator('dl.facts').innerText()).includes(`gp2 → ${storageClass}`), 'and its storage-class mapping');
  await screenshot(page, 'restore-details');
}

/** A backup started through the API (not the subject of a step), awaited until Completed. */
async function backUpByApi(page, name, cluster) {
  const path = `${BASE}/v1/projects/default/backups`;
  const started = await page.request.post(path, { data: { name, cluster, location: 'local' } });
  check(started.status() === 202, `backup ${name} started: ${started.status()}`);
  const until = Date.now() + STATE_TIMEOUT;
  for (;;) {
    const phase = (await (await page.request.get(`${path}/${name}`)).json()).status.phase;
    if (phase === 'Completed') return name;
    if (!['New', 'InProgress'].includes(phase) || Date.now() > until) throw new Error(`backup ${name} ended ${phase}`);
    await page.waitForTimeout(250); // polling an API, not waiting for the page
  }
}

/** Two backups of sandbox-2, before and after the restore into it: the diff page shows the restored namespace added. */
async function diff(page, before, after) {
  step('what changed between two backups: the restored namespace\'s objects added');
  await page.goto(`${BASE}/#/backups/${before}`);
  await page.getByRole('heading', { name: `Backup ${before}` }).waitFor();
  check((await textOf(page.locator('[data-encrypted]'))) === 'not encrypted', 'the backup says it is not encrypted');
  check((await textOf(page.locator('[data-lock]'))) === 'not locked', 'and not locked');
  const compare = page.getByRole('form', { name: 'Compare with another backup' });
  await compare.getByLabel('Compare with').selectOption(after);
  await compare.getByRole('button', { name: 'Compare' }).click();
  await page.getByRole('heading', { name: `Changes from ${before} to ${after}` }).waitFor();
  const added = page.locator(`tr[data-diff-item="configmaps demo-${RUN}/web-config"]`);
  await added.waitFor();
  check(await added.getAttribute('data-change') === 'added', 'the restored ConfigMap is listed as added');
  check(/^[1-9]\d* added, 0 removed, \d+ changed, [1-9]\d* unchanged\./.test(await textOf(page.locator('[data-diff-summary]'))),
    'the counts: some added, none removed');
  await screenshot(page, 'backup-diff');
}

/** A weekly schedule: its next runs before saving (from the server), then its next run in the list; pause, resume. */
async function schedules(page) {
  step('schedules: preview the next runs, create a weekly one with retention by count, see its next run; pause and resume');
  await page.getByRole('link', { name: 'Schedules' }).click();
  await page.getByRole('heading', { name: 'Schedules', exact: true }).waitFor();
  await page.getByRole('button', { name: 'New schedule' }).click();
  const form = page.getByRole('form', { name: 'New schedule' });
  const name = `e2e-weekly-${RUN}`;
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Cluster', { exact: true }).selectOption('sandbox');
  await form.getByLabel('Location', { exact: true }).selectOption('local');
  await form.getByLabel('Time zone').fill('UTC');

  // custom: an hour out of range is named at its field by the server's preview
  allowedStatus.push(['/schedules/preview', 400]);
  await form.getByRole('radio', { name: /Custom/ }).check();
  await form.getByLabel('Hour').fill('25');
  await form.locator('.field-error[data-field="custom.hour"]').waitFor();
  await form.getByLabel('Hour').fill('3');
  await form.locator('[data-preview] li').first().waitFor();
  allowedStatus.pop();

  await form.getByRole('radio', { name: /Weekly/ }).check();
  await form.locator('[data-preview] li').nth(4).waitFor();
  const runs = await form.locator('[data-preview] li').evaluateAll((items) => items.map((i) => i.getAttribute('data-run')));
  check(runs.length === 5, 'five next runs are previewed');
  // wait until the preview is the weekly one: every run a Sunday at 00:00 UTC
  await page.waitForFunction(() => [...document.querySelectorAll('[data-preview] li')]
    .every((li) => { const d = new Date(li.getAttribute('data-run')); return d.getUTCDay() === 0 && d.getUTCHours() === 0; }));
  await screenshot(page, 'schedule-form');
  const preview = await form.locator('[data-preview] li').first().getAttribute('data-run');

  // retention by count: a count below zero is named at its field by the server, nothing is created
  allowedStatus.push(['/schedules', 400]);
  await form.getByLabel('the last N backups').fill('-1');
  await form.getByRole('button', { name: 'Create schedule' }).click();
  await form.locator('.field-error[data-field="keep.last"]').waitFor();
  allowedStatus.pop();
  await form.getByLabel('the last N backups').fill('3');
  await form.getByLabel('one a day, for D days').fill('7');
  await form.getByLabel("Verify each backup's files once it has finished").check();
  await form.getByRole('button', { name: 'Create schedule' }).click();
  const row = page.locator(`tr[data-schedule="${name}"]`);
  await row.waitFor();
  check((await textOf(row)).includes('kept 30 days, and the last 3, daily 7; each one verified'),
    'the schedule keeps the last 3 and one a day for 7 days, and verifies each backup');
  const next = await row.locator('[data-next-run] time').getAttribute('datetime');
  check(next === preview, `the next run (${next}) is the first one previewed (${preview})`);
  check(new Date(next).getUTCDay() === 0, 'a weekly schedule runs on Sunday');
  await row.getByRole('button', { name: `Pause ${name}` }).click();
  await row.locator('.phase-Paused').waitFor();
  await row.getByRole('button', { name: `Resume ${name}` }).click();
  await row.locator('.phase-Active').waitFor();
  await screenshot(page, 'schedules');
}

/** A workspace of both sandboxes: its backup shows one progress bar per cluster, both reaching Completed. */
async function workspaces(page) {
  step('workspaces: create one of both sandboxes, back it up, one progress bar per cluster');
  await page.getByRole('link', { name: 'Workspaces' }).click();
  await page.getByRole('heading', { name: 'Workspaces', exact: true }).waitFor();
  await page.getByRole('button', { name: 'New workspace' }).click();
  const form = page.getByRole('form', { name: 'New workspace' });
  const name = `e2e-ws-${RUN}`;
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('sandbox', { exact: true }).check();
  await form.getByLabel('sandbox-2', { exact: true }).check();
  await form.getByLabel('Namespaces').fill('demo');
  await form.getByRole('button', { name: 'Create workspace' }).click();
  await page.getByRole('link', { name }).click();
  await page.getByRole('heading', { name: `Workspace ${name}` }).waitFor();
  await page.getByRole('button', { name: 'Back up workspace' }).click();
  const backupForm = page.getByRole('form', { name: 'Back up workspace' });
  await backupForm.getByLabel('Location', { exact: true }).selectOption('local');
  await backupForm.getByRole('button', { name: 'Start workspace backup' }).click();
  const run = page.locator('article.run').first();
  await run.waitFor();
  for (const cluster of ['sandbox', 'sandbox-2']) {
    await run.locator(`tr[data-child="${cluster}"] [role="progressbar"][data-phase="Completed"]`).waitFor({ timeout: STATE_TIMEOUT });
  }
  check(await run.locator('[role="progressbar"]').count() === 2, 'one progress bar per member cluster');
  await screenshot(page, 'workspace');
}

/** The console works from the keyboard: skip link, navigation, opening a form with Enter puts the focus in it. */
async function keyboard(page) {
  step('keyboard: skip link, navigation links and forms reached and used with Tab and Enter');
  await page.goto(`${BASE}/#/clusters`);
  await page.reload(); // a fresh page, where nothing has the focus yet
  await page.getByRole('heading', { name: 'Clusters', exact: true }).waitFor();
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement?.textContent?.trim()) === 'Skip to content', 'Tab first reaches the skip link');
  // Tab on to the Locations link, and follow it with Enter
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.textContent?.trim()) === 'Backup locations') break;
  }
  check(await page.evaluate(() => document.activeElement?.textContent?.trim()) === 'Backup locations', 'Tab reaches the navigation');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Backup locations' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  // from the heading, the next Tab is the page's first control: "Add location"
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement?.textContent?.trim()) === 'Add location', 'Tab from the heading reaches Add location');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'provider');
  check(true, 'Enter opens the form with the focus in its first field');
  await page.keyboard.press('Escape');
}

async function emptyStates(page) {
  step('empty states: a project with nothing in it');
  await page.goto(`${BASE}/#/clusters`);
  await page.getByLabel('Project').fill(`empty-${RUN}`);
  await page.getByLabel('Project').press('Enter');
  await page.getByText('No clusters yet').waitFor();
  await screenshot(page, 'empty-clusters');
  for (const [link, text] of [['Backup locations', 'No backup locations yet'], ['Schedules', 'No schedules yet'],
    ['Workspaces', 'No workspaces yet']]) {
    await page.getByRole('link', { name: link }).click();
    await page.getByText(text).waitFor();
  }
  await page.getByLabel('Project').fill('default');
  await page.getByLabel('Project').press('Enter');
}

const started = Date.now();
main().then(() => {
  console.log(`${passed} passed, 0 failed (console e2e, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}).catch((e) => {
  console.error(`FAILED: ${e.stack ?? e}`);
  if (jsErrors.length) console.error(`JavaScript errors: ${jsErrors.join('\n')}`);
  if (unexpected.length) console.error(`Unexpected answers: ${unexpected.join('\n')}`);
  console.log(`${passed} passed, 1 failed (console e2e)`);
  process.exitCode = 1;
});
