// screenshots.mjs — the UI's pictures for the docs (run by scripts/screenshots).
import { launch, newPage, login, BASE } from './lib.mjs';

const out = process.argv[2] || 'docs/screenshots';
const lang = process.env.GD_LANG || 'vi';
const reviewer = [process.env.GD_REVIEWER || 'reviewer', process.env.GD_REVIEWER_PASSWORD || 'demo-reviewer'];
const manager = [process.env.GD_MANAGER || 'manager', process.env.GD_MANAGER_PASSWORD || 'demo-manager'];

async function setLang(page) {
  await page.selectOption('[data-testid=lang]', lang);
}

const browser = await launch();
try {
  const page = await newPage(browser);
  await login(page, ...reviewer);
  await setLang(page);
  await page.goto(BASE + '/#/queue');
  await page.waitForSelector('[data-testid=queue-table] tbody tr');
  await page.screenshot({ path: out + '/queue.png' });
  console.log('wrote', out + '/queue.png');

  // a claim with flags: the first of the whole queue (by claimed amount) with a rule
  await page.goto(BASE + '/#/queue?status=all&sort=claimed');
  await page.waitForSelector('[data-testid=queue-table] tbody tr a.claimlink');
  const href = await page.$$eval('[data-testid=queue-table] tbody tr', (rows) => {
    const r = rows.find((x) => x.querySelector('td.rules .tag')) || rows[0];
    return r.querySelector('a.claimlink').getAttribute('href');
  });
  await page.goto(BASE + '/' + href);
  await page.waitForSelector('[data-testid=lines]');
  await page.screenshot({ path: out + '/claim.png', fullPage: true });
  console.log('wrote', out + '/claim.png');

  const facility = await page.$eval('a[href^="#/providers/"]', (a) => a.getAttribute('href'));
  const mpage = await newPage(browser);
  await login(mpage, ...manager);
  await setLang(mpage);
  await mpage.goto(BASE + '/#/dashboard');
  await mpage.waitForSelector('#c-trend[data-chart=ready]');
  await mpage.screenshot({ path: out + '/dashboard.png', fullPage: true });
  console.log('wrote', out + '/dashboard.png');

  await mpage.goto(BASE + '/' + facility);
  await mpage.waitForSelector('#c-cost[data-chart=ready]');
  await mpage.screenshot({ path: out + '/profile.png', fullPage: true });
  console.log('wrote', out + '/profile.png');
  const errs = [...page.errors, ...mpage.errors].filter((e) => !/Failed to load resource/.test(e));
  if (errs.length) { console.error('page errors:\n' + errs.join('\n')); process.exitCode = 1; }
} finally {
  await browser.close();
}
