// ui.test.mjs — browser tests of the review UI (node --test; playwright-core
// driving /usr/bin/chromium headless) against a running `giamdinh serve`.
// scripts/webtest starts the server on a demo store and sets:
//   GD_BASE_URL, GD_REVIEWER(_PASSWORD), GD_MANAGER(_PASSWORD),
//   GD_FACILITY(_PASSWORD) and GD_FACILITY_CODE (the facility user's facility),
//   GD_ADMIN(_PASSWORD), GD_CLAIM_FILE (a national XML claim file of that facility).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, login, BASE } from './lib.mjs';

const REVIEWER = [process.env.GD_REVIEWER || 'reviewer', process.env.GD_REVIEWER_PASSWORD || 'reviewer-pass-1'];
const MANAGER = [process.env.GD_MANAGER || 'manager', process.env.GD_MANAGER_PASSWORD || 'manager-pass-1'];
const FACILITY = [process.env.GD_FACILITY || 'facility', process.env.GD_FACILITY_PASSWORD || 'facility-pass-1'];
const FACILITY_CODE = process.env.GD_FACILITY_CODE || '';
const ADMIN = [process.env.GD_ADMIN || 'admin', process.env.GD_ADMIN_PASSWORD || 'admin-pass-1'];
const CLAIM_FILE = process.env.GD_CLAIM_FILE || '';

let browser;
before(async () => { browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

const digits = (s) => parseInt(String(s).replace(/[^\d-]/g, ''), 10);
/* Page errors other than the expected answers of the API (401 before login, 403/404 probes). */
const realErrors = (page) => page.errors.filter((e) => !/Failed to load resource/.test(e));

async function apiGet(page, path) {
  const r = await page.request.get(BASE + '/api/v1' + path);
  let body = null;
  try { body = await r.json(); } catch (_) { /* not JSON */ }
  return { status: r.status(), body };
}

test('health answers', async () => {
  const r = await fetch(BASE + '/api/v1/health');
  assert.equal(r.status, 200);
  const j = await r.json();
  assert.equal(j.status, 'ok');
});

test('login failure shows an error and no session', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/');
  await page.waitForSelector('#login-form');
  await page.fill('#login', REVIEWER[0]);
  await page.fill('#password', 'definitely-wrong');
  await page.click('#login-submit');
  const box = page.locator('[data-testid=login-error]');
  await box.waitFor({ state: 'visible' });
  assert.match(await box.textContent(), /Sai tên đăng nhập hoặc mật khẩu/);
  assert.equal(await page.locator('[data-testid=user-name]').count(), 0);
  const me = await apiGet(page, '/auth/me');
  assert.equal(me.status, 401);
  assert.equal(me.body.error.status, 401);
  assert.deepEqual(realErrors(page), []);
  await page.context().close();
});

test('language switch: Vietnamese by default, English on demand, kept after reload', async () => {
  const page = await newPage(browser);
  await page.goto(BASE + '/');
  await page.waitForSelector('#login-form');
  assert.equal(await page.locator('.login-box h1').textContent(), 'Đăng nhập');
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  await page.selectOption('[data-testid=lang]', 'en');
  await page.waitForFunction(() => document.querySelector('.login-box h1')?.textContent === 'Sign in');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.fill('#login', REVIEWER[0]);
  await page.fill('#password', REVIEWER[1]);
  await page.click('#login-submit');
  await page.waitForSelector('[data-testid=user-name]');
  assert.equal(await page.locator('[data-nav=queue]').textContent(), 'Review queue');
  assert.equal(await page.locator('[data-testid=user-role]').textContent().then((s) => s.split('·')[0].trim()), 'Reviewer');
  await page.reload();
  await page.waitForSelector('[data-testid=user-name]');
  assert.equal(await page.locator('[data-nav=queue]').textContent(), 'Review queue');
  await page.selectOption('[data-testid=lang]', 'vi');
  await page.waitForFunction(() => document.querySelector('[data-nav=queue]')?.textContent === 'Hàng đợi giám định');
  // both dictionaries have the same keys
  const diff = await page.evaluate(async () => {
    const m = await import('/i18n.js');
    const vi = Object.keys(m._dict.vi), en = Object.keys(m._dict.en);
    return [vi.filter((k) => !en.includes(k)), en.filter((k) => !vi.includes(k))];
  });
  assert.deepEqual(diff, [[], []]);
  assert.deepEqual(realErrors(page), []);
  await page.context().close();
});

test('reviewer: queue, claim, reject a line, new revision and audit entry', async () => {
  const page = await newPage(browser);
  await login(page, ...REVIEWER);
  // the reviewer lands on the queue
  await page.waitForSelector('[data-testid=queue-table] tbody tr a.claimlink');
  assert.ok(await page.locator('[data-testid=queue-table] tbody tr').count() > 0);
  // sorting by claimed (descending) orders the rows
  await page.click('th[data-sort=claimed]');
  await page.waitForFunction(() => location.hash.includes('sort=claimed'));
  await page.waitForSelector('[data-testid=queue-table] tbody tr a.claimlink');
  const claimed = await page.$$eval('[data-testid=queue-table]', ([tb]) => {
    const i = [...tb.querySelectorAll('thead th')].findIndex((th) => th.dataset.sort === 'claimed');
    return [...tb.querySelectorAll('tbody tr')].map((r) => r.children[i].textContent);
  });
  const nums = claimed.map(digits);
  assert.deepEqual(nums, [...nums].sort((a, b) => b - a), 'sorted by claimed, descending');

  // the first claim of the queue with a line still paid (a wholly rejected claim has none)
  const links = await page.$$eval('[data-testid=queue-table] a.claimlink', (as) => as.map((a) => a.getAttribute('href')));
  let line = null;
  let first = true;
  for (const href of links.slice(0, 20)) {
    if (first) { await page.click(`[data-testid=queue-table] a.claimlink[href="${href}"]`); first = false; } else await page.goto(BASE + '/' + href);
    await page.waitForSelector('[data-testid=lines]');
    // a line with nothing rejected yet and something allowed: the largest
    line = await page.$$eval('[data-testid=lines] tr[data-line]', (rows) => {
      let best = null, amount = 0;
      for (const r of rows) {
        const cell = (i) => parseInt(r.children[i].textContent.replace(/[^\d]/g, '') || '0', 10);
        if (cell(7) === 0 && cell(4) > amount) { amount = cell(4); best = r.dataset.line; }
      }
      return best && { line: best, allowed: amount };
    });
    if (line) break;
  }
  const hash = await page.evaluate(() => location.hash);
  const [, , facility, key] = hash.split('?')[0].split('/');
  const rev0 = digits(await page.locator('[data-testid=revision]').textContent());
  const rejected0 = digits(await page.locator('[data-testid=amount-rejected]').textContent());
  const audit0 = await page.locator('[data-testid=audit-table] tbody tr:not(:has(td.empty))').count();
  assert.ok(line, 'the claim has a line to reject');
  await page.click(`[data-reject-line="${line.line}"]`);
  assert.equal(await page.inputValue('#review-action'), 'reject_line');
  assert.equal(await page.inputValue('#review-line'), line.line);
  const reasons = await page.$$eval('#review-reason option', (os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(reasons.length > 0, 'GET /reasons gave reasons');
  await page.selectOption('#review-reason', reasons[0]);
  await page.fill('#review-note', 'browser test: line rejected');
  await page.click('#review-submit');
  await page.waitForSelector('[data-testid=flash]');
  const rev1 = digits(await page.locator('[data-testid=revision]').textContent());
  assert.equal(rev1, rev0 + 1, 'a new revision');
  const rejected1 = digits(await page.locator('[data-testid=amount-rejected]').textContent());
  assert.ok(rejected1 > rejected0, `rejected amount grew (${rejected0} -> ${rejected1})`);
  // the line now shows a rejected amount
  const lineRejected = await page.$eval(`[data-testid=lines] tr[data-line="${line.line}"]`, (r) => parseInt(r.children[7].textContent.replace(/[^\d]/g, '') || '0', 10));
  assert.ok(lineRejected > 0, 'the line is rejected');
  // revision history, review actions and the audit log
  assert.ok(await page.locator('[data-testid=revisions] tbody tr').count() >= 2);
  const reviewRow = await page.locator('[data-testid=reviews] tbody tr').first().textContent();
  assert.match(reviewRow, /Xuất toán dòng/);
  assert.match(reviewRow, /browser test: line rejected/);
  const audit1 = await page.locator('[data-testid=audit-table] tbody tr:not(:has(td.empty))').count();
  assert.ok(audit1 > audit0, `an audit entry was added (${audit0} -> ${audit1})`);
  // the API agrees
  const d = await apiGet(page, `/claims/${facility}/${key}`);
  assert.equal(d.status, 200);
  assert.equal(d.body.claim.revision, rev1);
  assert.equal(d.body.claim.rejected_amount, rejected1);
  const log = await apiGet(page, `/audit-log?object=${encodeURIComponent(`claim:${decodeURIComponent(facility)}:${decodeURIComponent(key)}`)}`);
  assert.equal(log.status, 200);
  assert.ok(log.body.entries.length >= 1);
  // the contract always has chain_ok; the server gives it only for the whole log (reported)
  if ('chain_ok' in log.body) assert.equal(log.body.chain_ok, true);
  // the old revision is still there
  const old = await apiGet(page, `/claims/${facility}/${key}/revisions/${rev0}`);
  assert.equal(old.status, 200);
  assert.deepEqual(realErrors(page), []);
  await page.context().close();
});

test('an unsafe request without the CSRF token is refused', async () => {
  const page = await newPage(browser);
  await login(page, ...REVIEWER);
  const r = await page.request.post(BASE + '/api/v1/auth/logout', { data: {} });
  assert.equal(r.status(), 403);
  const j = await r.json();
  assert.equal(j.error.status, 403);
  await page.context().close();
});

test('a facility user cannot see another facility\'s claim', async () => {
  // a claim of another facility, found by a reviewer
  const rpage = await newPage(browser);
  await login(rpage, ...REVIEWER);
  const q = await apiGet(rpage, '/queue?status=all&limit=200');
  assert.equal(q.status, 200);

  const page = await newPage(browser);
  await login(page, ...FACILITY);
  const me = await apiGet(page, '/auth/me');
  const own = me.body.user.facility;
  assert.ok(own, 'the facility user has a facility');
  if (FACILITY_CODE) assert.equal(own, FACILITY_CODE);
  const other = q.body.items.find((c) => c.facility !== own);
  assert.ok(other, 'the queue has a claim of another facility');
  await rpage.context().close();
  // facility users land on "my claims": only their own
  await page.waitForSelector('[data-testid=claims-table]');
  const facs = await page.$$eval('[data-testid=claims-table] a.claimlink', (as) => as.map((a) => a.dataset.claim.split(':')[0]));
  for (const f of facs) assert.equal(f, own);
  const api = await apiGet(page, `/claims/${encodeURIComponent(other.facility)}/${encodeURIComponent(other.claim_key)}`);
  assert.ok(api.status === 404 || api.status === 403, `API answers ${api.status}`);
  assert.equal(api.body.error.status, api.status);
  await page.goto(`${BASE}/#/claims/${encodeURIComponent(other.facility)}/${encodeURIComponent(other.claim_key)}`);
  await page.waitForSelector('[data-testid=not-found]');
  assert.match(await page.locator('[data-testid=not-found]').textContent(), /Không tìm thấy/);
  assert.equal(await page.locator('[data-testid=lines]').count(), 0);
  // the queue is not for facility users
  const queue = await apiGet(page, '/queue');
  assert.equal(queue.status, 403);
  await page.context().close();
});

test('manager: dashboard renders its charts; provider profile', async () => {
  const page = await newPage(browser);
  await login(page, ...MANAGER);
  await page.goto(BASE + '/#/dashboard');
  for (const id of ['c-coverage', 'c-trend', 'c-method', 'c-rules', 'c-drg']) {
    await page.waitForSelector(`#${id}[data-chart=ready]`);
    const box = await page.locator('#' + id).boundingBox();
    assert.ok(box && box.width > 100 && box.height > 100, `${id} has a size`);
  }
  // the charts drew something: some canvas pixels are not blank
  const drawn = await page.evaluate(() => ['c-coverage', 'c-trend'].map((id) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
    return n;
  }));
  for (const n of drawn) assert.ok(n > 500, 'chart pixels drawn');
  const totals = digits(await page.locator('[data-testid=totals] .total').first().locator('.tv').textContent());
  assert.ok(totals > 0, 'claims total');
  // providers list -> profile with its three charts
  await page.goto(BASE + '/#/providers');
  await page.waitForSelector('[data-testid=providers-table] a[data-provider]');
  await page.click('[data-testid=providers-table] a[data-provider] >> nth=0');
  await page.waitForSelector('#c-cost[data-chart=ready]');
  await page.waitForSelector('#c-los[data-chart=ready]');
  await page.waitForSelector('#c-rej[data-chart=ready]');
  assert.deepEqual(realErrors(page), []);
  await page.context().close();
});

test('appeal: the facility contests a decision, the reviewer decides it', async () => {
  const f = await newPage(browser);
  await login(f, ...FACILITY);
  await f.waitForSelector('[data-testid=claims-table] a.claimlink');
  // one of its claims with something not paid, else the first
  const href = await f.$$eval('[data-testid=claims-table] tbody tr', (rows) => {
    const r = rows.find((x) => x.querySelector('.outcome-rejected, .outcome-partial')) || rows[0];
    return r.querySelector('a.claimlink').getAttribute('href');
  });
  await f.goto(BASE + '/' + href);
  await f.waitForSelector('#appeal-form');
  const rev0 = digits(await f.locator('[data-testid=revision]').textContent());
  await f.fill('#appeal-statement', 'Thẻ còn giá trị, đề nghị xem lại.');
  await f.click('#appeal-form button[type=submit]');
  await f.waitForSelector('[data-testid=flash]');
  assert.match(await f.locator('[data-testid=appeals] tbody').textContent(), /Đang mở/);
  assert.equal(await f.locator('#appeal-form').count(), 0, 'one open appeal at a time');
  assert.deepEqual(realErrors(f), []);
  await f.context().close();

  const r = await newPage(browser);
  await login(r, ...REVIEWER);
  await r.goto(BASE + '/#/appeals?status=open');
  await r.waitForSelector(`[data-testid=appeals-table] a[href="${href}"]`);
  await r.click(`[data-testid=appeals-table] a[href="${href}"]`);
  await r.waitForSelector('.decide-form');
  assert.equal(await r.locator('#review-form').count(), 0, 'no review while the appeal is open');
  await r.selectOption('.decide-form select[name=status]', 'upheld');
  await r.fill('.decide-form input[name=response]', 'Giữ nguyên kết quả giám định.');
  await r.click('.decide-form button[type=submit]');
  await r.waitForSelector('[data-testid=flash]');
  assert.match(await r.locator('[data-testid=appeals] tbody').textContent(), /Giữ nguyên/);
  assert.ok(digits(await r.locator('[data-testid=revision]').textContent()) > rev0, 'a new revision');
  assert.ok(await r.locator('[data-testid=audit-table] tbody tr:not(:has(td.empty))').count() >= 2, 'appeal and decision audited');
  assert.deepEqual(realErrors(r), []);
  await r.context().close();
});

test('settlement: a manager settles a quarter and opens a facility\'s settlement; a facility user sees only its own', async () => {
  const period = '2025Q1';
  const page = await newPage(browser);
  await login(page, ...MANAGER);
  const me = await apiGet(page, '/auth/me');
  const kpis = await apiGet(page, '/kpis?period=' + period);
  assert.equal(kpis.status, 200);
  const own = FACILITY_CODE || kpis.body.facilities[0].facility;
  const other = kpis.body.facilities.map((f) => f.facility).find((f) => f !== own);
  assert.ok(other, 'another facility has claims in the quarter');
  for (const facility of [own, other]) {
    const r = await page.request.post(BASE + '/api/v1/contracts', {
      headers: { 'X-CSRF-Token': me.body.csrf },
      data: { facility, year: 2025, version: 1, valid_from: '2025-01-01', outpatient: 'ffs', inpatient: 'drg',
        ceiling: 900000000000, advance_pct: '80', over_ceiling: 'carry', kpis: 'readmission_rate<=10%' },
    });
    assert.ok(r.status() === 201 || r.status() === 200, `contract for ${facility}: ${r.status()}`);
  }
  await page.goto(`${BASE}/#/settlements?period=${period}`);
  await page.waitForSelector('[data-testid=settle-run-submit]');
  await page.click('[data-testid=settle-run-submit]');
  await page.waitForSelector(`[data-testid=settlements-table] a[data-settlement="${own}"]`);
  assert.match(await page.locator('[data-testid=settle-msg]').textContent(), /\d/);
  const shown = await page.$$eval('[data-testid=settlements-table] a[data-settlement]', (as) => as.map((a) => a.dataset.settlement));
  assert.ok(shown.includes(own) && shown.includes(other), 'both settlements listed');
  await page.click(`[data-testid=settlements-table] a[data-settlement="${own}"]`);
  await page.waitForSelector('[data-testid=settlement-figures]');
  assert.equal(await page.locator('[data-testid=settlement-id]').textContent(), `STL-${own}-${period}-V1`);
  assert.equal(await page.locator('[data-testid=kpi-table] tbody tr').count(), 9);
  assert.match(await page.locator('[data-testid=kpi-table]').textContent(), /tái nhập viện/);
  assert.equal(await page.locator('[data-testid=settlement-versions] tbody tr').count(), 1);
  assert.deepEqual(realErrors(page), []);
  await page.context().close();

  const fpage = await newPage(browser);
  await login(fpage, ...FACILITY);
  const fme = await apiGet(fpage, '/auth/me');
  assert.equal(fme.body.user.facility, own);
  await fpage.click('[data-nav=settlements]');
  await fpage.goto(`${BASE}/#/settlements?period=${period}`);
  await fpage.waitForSelector('[data-testid=settlements-table] a[data-settlement]');
  const mine = await fpage.$$eval('[data-testid=settlements-table] a[data-settlement]', (as) => as.map((a) => a.dataset.settlement));
  assert.deepEqual(mine, [own]);
  assert.equal(await fpage.locator('[data-testid=settle-run]').count(), 0);
  await fpage.goto(`${BASE}/#/settlements/${other}/${period}`);
  await fpage.waitForSelector('[data-testid=not-found]');
  assert.equal((await apiGet(fpage, `/settlements/${other}/${period}`)).status, 404);
  await fpage.context().close();
});

test('admin: adds a user and issues an API token that works once shown', async () => {
  const his = 'web-his-' + Date.now().toString(36);
  const page = await newPage(browser);
  await login(page, ...ADMIN);
  await page.waitForSelector('[data-nav=users]');
  await page.click('[data-nav=users]');
  await page.waitForSelector('[data-testid=users-table] tbody tr[data-user-login]');
  assert.ok(await page.locator(`[data-testid=users-table] tr[data-user-login="${ADMIN[0]}"]`).count() === 1, 'the admin is listed');
  const n0 = await page.locator('[data-testid=users-table] tbody tr[data-user-login]').count();
  // add a facility user (a hospital system's account)
  await page.fill('#user-login', his);
  await page.fill('#user-name', 'HIS bệnh viện (kiểm thử)');
  await page.selectOption('#user-role', 'facility');
  await page.fill('#user-facility', FACILITY_CODE || '01001');
  await page.fill('#user-password', 'his-pass-12345');
  await page.click('#user-submit');
  await page.waitForSelector('[data-testid=flash]');
  assert.match(await page.locator('[data-testid=flash]').textContent(), new RegExp(his));
  const row = page.locator(`[data-testid=users-table] tr[data-user-login="${his}"]`);
  assert.equal(await row.count(), 1);
  assert.match(await row.textContent(), /Cơ sở KCB/);
  assert.equal(await page.locator('[data-testid=users-table] tbody tr[data-user-login]').count(), n0 + 1);
  // the API's messages are shown in the form: 400 (a facility user without its facility) ...
  await page.fill('#user-login', his);
  await page.fill('#user-name', 'again');
  await page.selectOption('#user-role', 'facility');
  await page.fill('#user-password', 'his-pass-12345');
  await page.click('#user-submit');
  await page.waitForSelector('[data-testid=user-form-msg].error');
  assert.match(await page.locator('[data-testid=user-form-msg]').textContent(), /^400: .*facility/);
  // ... and 409 (the same login again)
  await page.fill('#user-facility', FACILITY_CODE || '01001');
  await page.click('#user-submit');
  await page.waitForFunction(() => /^409: .*taken/.test(document.querySelector('[data-testid=user-form-msg]').textContent));
  // issue a token: shown once, with the warning
  await row.locator('[data-token-user]').click();
  await page.fill('#token-label', 'HIS kiểm thử');
  await page.click('#token-submit');
  await page.waitForSelector('[data-testid=token-value]');
  const token = await page.inputValue('[data-testid=token-value]');
  assert.ok(token.length >= 20, 'a token');
  assert.match(await page.locator('[data-testid=token-warning]').textContent(), /một lần/);
  // the token authenticates a program as the new user (no session, no CSRF)
  const me = await fetch(BASE + '/api/v1/auth/me', { headers: { Authorization: 'Bearer ' + token } });
  assert.equal(me.status, 200);
  const mj = await me.json();
  assert.equal(mj.user.login, his);
  assert.equal(mj.user.role, 'facility');
  const bad = await fetch(BASE + '/api/v1/auth/me', { headers: { Authorization: 'Bearer ' + token + 'x' } });
  assert.equal(bad.status, 401);
  // closed, it is gone from the page; a reload shows no token either
  await page.click('[data-testid=token-panel] [data-token-close]');
  assert.equal(await page.locator('[data-testid=token-value]').count(), 0);
  await page.reload();
  await page.waitForSelector('[data-testid=users-table]');
  assert.ok(!(await page.content()).includes(token), 'the token is not shown again');
  assert.deepEqual(realErrors(page), []);
  await page.context().close();

  // not for other roles: no nav entry, and the API refuses
  const r = await newPage(browser);
  await login(r, ...REVIEWER);
  assert.equal(await r.locator('[data-nav=users]').count(), 0);
  assert.equal((await apiGet(r, '/users')).status, 403);
  await r.context().close();
});

test('facility: submits a claim file (XML, FHIR) and sees the verification result', async () => {
  assert.ok(CLAIM_FILE, 'GD_CLAIM_FILE is set (scripts/webtest)');
  const page = await newPage(browser);
  await login(page, ...FACILITY);
  const own = (await apiGet(page, '/auth/me')).body.user.facility;
  assert.equal(await page.locator('[data-nav=users]').count(), 0, 'no users page for facilities');
  await page.click('[data-nav=submit]');
  await page.waitForSelector('#submit-form');
  await page.setInputFiles('#submit-file', CLAIM_FILE);
  await page.click('#submit-send');
  await page.waitForSelector('[data-testid=submit-result][data-format=xml]');
  const rows = await page.$$eval('[data-testid=submit-table] tbody tr', (trs) => trs.map((tr) => ({
    claim: tr.querySelector('a.claimlink')?.dataset.claim,
    status: tr.querySelector('.badge')?.className,
    text: tr.textContent,
  })));
  assert.ok(rows.length > 0, 'claims in the answer');
  for (const r of rows) {
    assert.ok(r.claim && r.claim.startsWith(own + ':'), `own claim ${r.claim}`);
    assert.match(r.status, /substatus-(decided|unchanged)/);
  }
  assert.match(await page.locator('[data-testid=submit-summary]').textContent(), new RegExp(`^${rows.length} hồ sơ`));
  assert.equal(await page.locator('[data-testid=submit-error]').count(), 0);
  // the API agrees on the first claim's revision, and its link opens the claim
  const [f, k] = [rows[0].claim.slice(0, rows[0].claim.indexOf(':')), rows[0].claim.slice(rows[0].claim.indexOf(':') + 1)];
  const d = await apiGet(page, `/claims/${encodeURIComponent(f)}/${encodeURIComponent(k)}`);
  assert.equal(d.status, 200);
  const revCell = await page.locator('[data-testid=submit-table] tbody tr').first().locator('td').nth(2).textContent();
  assert.equal(digits(revCell), d.body.claim.revision);

  // a FHIR R4 Claim: a Bundle of ClaimResponse; the unknown card is a process note
  const key = 'WEBFHIR' + Date.now().toString(36).toUpperCase();
  const fhir = {
    resourceType: 'Claim', identifier: [{ value: key }], type: { coding: [{ code: 'professional' }] },
    contained: [{ resourceType: 'Patient', id: 'p', name: [{ text: 'Nguyen Van A' }], gender: 'male', birthDate: '1980-01-02' },
      { resourceType: 'Coverage', id: 'c', subscriberId: 'DN4010000000099' }],
    patient: { reference: '#p' }, provider: { identifier: { value: own } }, insurance: [{ coverage: { reference: '#c' } }],
    billablePeriod: { start: '2025-03-01T08:00:00+07:00', end: '2025-03-01T09:00:00+07:00' },
    diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ code: 'J06.9' }] } }],
    item: [{ sequence: 1, productOrService: { coding: [{ system: 'https://giamdinh.vn/fhir/service', code: '01.0001.1778' }] }, quantity: { value: 1 }, unitPrice: { value: 40000 } }],
    total: { value: 40000 },
  };
  await page.setInputFiles('#submit-file', { name: 'claim.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(fhir)) });
  await page.click('#submit-send');
  await page.waitForSelector('[data-testid=submit-result][data-format=fhir]');
  const frow = page.locator('[data-testid=submit-table] tbody tr').first();
  assert.equal(await frow.locator('a.claimlink').getAttribute('data-claim'), `${own}:${key}`);
  assert.equal(digits(await frow.locator('td').nth(3).textContent()), 40000);
  assert.match(await frow.textContent(), /PHANTOM_PATIENT/);

  // a broken file: the API's 400 with the position, shown as an error
  await page.setInputFiles('#submit-file', { name: 'broken.xml', mimeType: 'application/xml', buffer: Buffer.from('<GIAMDINHHS><THONGTINDONVI>') });
  await page.click('#submit-send');
  await page.waitForSelector('[data-testid=submit-error]');
  assert.equal(await page.getAttribute('[data-testid=submit-error]', 'data-status'), '400');
  assert.ok((await page.locator('[data-testid=submit-error] .errdetail').textContent()).length > 10, 'the message says what is wrong');
  assert.equal(await page.locator('[data-testid=submit-result]').count(), 0);

  // the claim link opens the claim's page
  await page.setInputFiles('#submit-file', CLAIM_FILE);
  await page.click('#submit-send');
  await page.waitForSelector('[data-testid=submit-result][data-format=xml]');
  assert.match(await page.locator('[data-testid=submit-table] tbody').textContent(), /Không đổi/);
  await page.click('[data-testid=submit-table] a.claimlink >> nth=0');
  await page.waitForSelector('[data-testid=lines]');
  assert.deepEqual(realErrors(page), []);
  await page.context().close();
});

test('manager: the drug supply page draws price dispersion and spend, lists findings, downloads the prices CSV', async () => {
  const page = await newPage(browser);
  await login(page, ...MANAGER);
  await page.goto(BASE + '/#/drugs');
  for (const id of ['c-dispersion', 'c-spend']) {
    await page.waitForSelector(`#${id}[data-chart=ready]`, { timeout: 60000 });
    const box = await page.locator('#' + id).boundingBox();
    assert.ok(box && box.width > 100 && box.height > 100, `${id} has a size`);
  }
  const drawn = await page.evaluate(() => ['c-dispersion', 'c-spend'].map((id) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
    return n;
  }));
  for (const n of drawn) assert.ok(n > 500, 'chart pixels drawn');
  assert.ok(await page.locator('[data-testid=prices-table] tbody tr').count() > 1, 'price rows');
  assert.ok(digits(await page.locator('[data-testid=drugs-totals] .total .tv').first().textContent()) > 0, 'spend');
  assert.ok(await page.locator('[data-testid=warnings-table] tbody tr').count() > 0, 'warning rows');
  assert.ok(await page.locator('[data-testid=validation-table] tbody tr').count() > 0, 'validation rows');
  await page.waitForSelector('[data-testid=gaps-claims]');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=prices-csv]')]);
  assert.match(dl.suggestedFilename(), /^elmis-prices-.*\.csv$/);
  const fs = await import('node:fs/promises');
  const csv = await fs.readFile(await dl.path(), 'utf8');
  assert.match(csv, /^ingredient,strength,form,facilities,min,median,p90,max/);
  assert.ok(csv.trim().split('\n').length > 2, 'csv rows');
  // the API agrees: prices are staff's
  assert.equal((await apiGet(page, '/elmis/prices?top=1')).status, 200);
  assert.deepEqual(realErrors(page), []);
  await page.context().close();
});

test('manager: the contributions page lists debtors with their ageing, collection against plan and a CSV link', async () => {
  const page = await newPage(browser);
  await login(page, ...MANAGER);
  await page.waitForSelector('[data-nav=contrib]');
  await page.goto(BASE + '/#/contrib?as_of=2025-12-31');
  await page.waitForSelector('[data-testid=contrib-debtors] tbody tr', { timeout: 60000 });
  assert.ok(await page.locator('[data-testid=contrib-debtors] tbody tr').count() > 0, 'debtor rows');
  assert.equal(await page.locator('[data-testid=contrib-debtors] td.empty').count(), 0, 'not the empty row');
  assert.ok(await page.locator('[data-testid=contrib-collection] tbody tr').count() > 1, 'collection rows');
  assert.equal(await page.locator('[data-testid=contrib-buckets] .total').count(), 5);
  const href = await page.locator('[data-testid=contrib-csv]').getAttribute('href');
  assert.match(href, /^\/api\/v1\/contrib\/debtors\?.*format=csv/);
  const csv = await page.evaluate(async (h) => (await fetch(h, { credentials: 'same-origin' })).text(), href);
  assert.match(csv, /^employer,name,province,sector,ownership,/);
  assert.deepEqual(realErrors(page), []);
  await page.context().close();
});
