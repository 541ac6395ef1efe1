// Drives the web view in headless Chromium (Debian's) with playwright-core, as a person would:
// log in with an approver token, read the incidents and a diagnosis, approve one pending action and
// reject another. Each decision is a request (sequence 0) the running executor answers with its own
// steps; the page waits until the audit trail shows the request and the executor's answer (API ->
// Kafka -> executor -> Kafka -> sink -> ClickHouse -> API -> page): for the approval APPROVED by the
// approver, then EXECUTING and SUCCEEDED by the executor; for the rejection REJECTED by the approver.
// Then log in as a viewer, whose buttons are disabled. One screenshot per step into SCREENSHOTS.
// Prints one JSON line per step on stdout; exits 1 on the first failure.
// Environment: PLAYWRIGHT_CORE (package dir), CHROMIUM (executable), BASE_URL, APPROVER_TOKEN,
// VIEWER_TOKEN, APPROVE_ID, REJECT_ID, PENDING_ID, XSS_INCIDENT, XSS (the hostile string), SCREENSHOTS.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const { chromium } = await import(pathToFileURL(path.join(env('PLAYWRIGHT_CORE'), 'index.mjs')).href);
const base = env('BASE_URL').replace(/\/$/, '');
const shots = env('SCREENSHOTS');
const xss = env('XSS');
const timeout = 60_000;
let step = 0;

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(timeout);
const consoleErrors = [];
page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
page.on('pageerror', (error) => consoleErrors.push(String(error)));
await page.addInitScript(() => { window.__xss = 0; });

async function shot(name, details = {}) {
  step += 1;
  const file = path.join(shots, `${String(step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(JSON.stringify({ step, name, screenshot: file, ...details }));
}

async function noMarkupFrom(selector) {
  // The hostile string is shown as text: no element was parsed out of it, and its handler never ran.
  const result = await page.evaluate((sel) => ({
    text: [...document.querySelectorAll(sel)].map((e) => e.textContent).join('\n'),
    images: document.querySelectorAll('img').length,
    fired: window.__xss,
  }), selector);
  if (!result.text.includes(xss)) throw new Error(`${selector} does not show the hostile text literally: ${result.text.slice(0, 200)}`);
  if (result.images !== 0) throw new Error(`${selector}: ${result.images} <img> elements were created from data`);
  if (result.fired !== 0) throw new Error('a handler in the data ran');
  return result;
}

async function login(token) {
  await page.goto(`${base}/ui/#/login`);
  await page.waitForSelector('#login');
  await page.fill('#token', token);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#nav:not([hidden])');
}

async function decide(id, decision, reason, actor, steps) {
  await page.goto(`${base}/ui/#/approvals`);
  const card = page.locator(`section.pending[data-action-id="${id}"]`);
  await card.waitFor();
  await card.locator('input.reason').fill(reason);
  await card.locator(`button[data-decision="${decision}"]`).click();
  await page.waitForURL(`**/ui/#/actions/${encodeURIComponent(id)}`);
  // Until the executor's step is stored the action keeps its phase and shows the request as waiting; the executor
  // usually answers before the sink stores the request, so this state is recorded when it is seen, not required.
  const waiting = await page.locator('#pending-request').isVisible();
  await shot(`${decision}-requested`, { id, waitingShown: waiting });
  // The request (sequence 0) is in the trail as a request, not as a step, and the executor's answer follows it.
  const request = page.locator(`#trail tbody tr[data-kind="request"][data-phase="${steps[0]}"][data-actor="${actor}"]`);
  await request.waitFor({ timeout: 90_000 });
  const requestText = await request.textContent();
  if (!requestText.includes(`requested by ${actor}`) || !requestText.includes(reason)) throw new Error(`the request row does not name the requester and reason: ${requestText}`);
  const answer = page.locator(`#trail tbody tr[data-kind="step"][data-phase="${steps[0]}"][data-actor="${actor}"]`);
  await answer.waitFor({ timeout: 90_000 });
  for (const phase of steps.slice(1)) {
    await page.locator(`#trail tbody tr[data-kind="step"][data-phase="${phase}"][data-actor="executor"]`).waitFor({ timeout: 90_000 });
  }
  await page.waitForSelector(`#action-summary[data-phase="${steps[steps.length - 1]}"]`);
  await page.waitForSelector('#trail tbody tr[data-kind="request"][data-pending="false"]');
  if (await page.locator('#pending-request').count() !== 0) throw new Error('the request is still shown as waiting after the executor answered it');
  const trail = await page.$$eval('#trail tbody tr', (rows) => rows.map((r) => `${r.getAttribute('data-kind')}:${r.getAttribute('data-phase')}:${r.getAttribute('data-actor')}`));
  await shot(`${decision}-answered-by-executor`, { id, trail });
}

try {
  const response = await page.goto(`${base}/ui/`);
  const csp = response.headers()['content-security-policy'] || '';
  if (!csp.includes("script-src 'self'")) throw new Error(`no strict CSP on /ui/: ${csp}`);
  await page.waitForSelector('#login');
  await shot('login');

  await login(env('APPROVER_TOKEN'));
  await page.waitForSelector('section.tenant');
  const tenants = await page.$$eval('section.tenant h2', (hs) => hs.map((h) => h.textContent));
  await shot('incidents-by-tenant-and-layer', { tenants });

  await page.goto(`${base}/ui/#/incidents/${encodeURIComponent(env('XSS_INCIDENT'))}`);
  await page.waitForSelector('#root-cause');
  await page.waitForSelector('#citations li');
  const diagnosis = await noMarkupFrom('#root-cause, #explanation, #evidence');
  await shot('diagnosis-hostile-text-shown-as-text', { images: diagnosis.images });

  await page.goto(`${base}/ui/#/approvals`);
  await page.waitForSelector(`section.pending[data-action-id="${env('APPROVE_ID')}"]`);
  await page.waitForSelector(`section.pending[data-action-id="${env('REJECT_ID')}"]`);
  // The remediation's title carries the hostile text (the executor's diff quotes such values).
  const card = await noMarkupFrom(`section.pending[data-action-id="${env('APPROVE_ID')}"] dd`);
  const diffs = await page.$$eval('pre.diff', (pres) => pres.map((p) => p.textContent));
  if (!diffs.every((d) => d.includes('kubectl.kubernetes.io/restartedAt'))) throw new Error(`a pending action shows no dry-run diff of the restart: ${diffs.join('\n')}`);
  const enabled = await page.$$eval('section.pending button[data-decision]', (bs) => bs.every((b) => !b.disabled));
  if (!enabled) throw new Error('an approver sees disabled decision buttons');
  await shot('pending-approvals', { images: card.images });

  await decide(env('APPROVE_ID'), 'approve', 'diff checked in the browser', 'user:ui-approver', ['approved', 'executing', 'succeeded']);
  await decide(env('REJECT_ID'), 'reject', 'not during the sale', 'user:ui-approver', ['rejected']);

  await page.goto(`${base}/ui/#/approvals`);
  await page.waitForSelector(`section.pending[data-action-id="${env('PENDING_ID')}"]`);
  await page.waitForFunction((ids) => ids.every((id) => !document.querySelector(`section.pending[data-action-id="${id}"]`)), [env('APPROVE_ID'), env('REJECT_ID')]);
  await shot('pending-approvals-after-decisions');

  await page.click('#logout');
  await login(env('VIEWER_TOKEN'));
  await page.goto(`${base}/ui/#/approvals`);
  await page.waitForSelector(`section.pending[data-action-id="${env('PENDING_ID')}"]`);
  const buttons = await page.$$eval('button[data-decision]', (bs) => bs.map((b) => b.disabled));
  if (buttons.length === 0) throw new Error('the viewer sees no pending action to check the buttons on');
  if (buttons.some((disabled) => !disabled)) throw new Error('a viewer sees an enabled decision button');
  await shot('viewer-read-only', { buttons: buttons.length });

  const cspErrors = consoleErrors.filter((e) => /Content Security Policy/i.test(e));
  if (cspErrors.length) throw new Error(`CSP violations: ${cspErrors.join('; ')}`);
  console.log(JSON.stringify({ done: true, steps: step, consoleErrors }));
} catch (error) {
  try { await shot('failure', { error: String(error) }); } catch { /* the failure itself is reported below */ }
  console.error(String(error && error.stack || error));
  process.exitCode = 1;
} finally {
  await browser.close();
}
