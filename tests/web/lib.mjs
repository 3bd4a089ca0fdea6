// lib.mjs — shared by the browser tests and scripts/screenshots: Debian's
// chromium driven headless by playwright-core (no browser download).
import { chromium } from 'playwright-core';

export const BASE = process.env.GD_BASE_URL || 'http://127.0.0.1:8080';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.GD_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    headless: true,
  });
}

export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: opts.locale || 'vi-VN', deviceScaleFactor: opts.scale || 1 });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  return page;
}

/* Logs in through the form; waits for the header to show the user. */
export async function login(page, user, password) {
  await page.goto(BASE + '/#/login');
  await page.fill('#login', user);
  await page.fill('#password', password);
  await page.click('#login-submit');
  await page.waitForSelector('[data-testid=user-name]');
}
