// views/settlements.js — GET /settlements: the facilities' settlements of a
// quarter (a facility user: its own), each linking to its detail; managers
// and admins settle the quarter here (POST /settlements, reopening with a reason).
import { get, post } from '../api.js';
import { t } from '../i18n.js';
import { html, table, fmtInt, fmtTime, formData } from '../util.js';

/* The quarter before today's, "2025Q1". */
export function lastQuarter() {
  const d = new Date();
  let y = d.getFullYear(), q = Math.floor(d.getMonth() / 3);
  if (q === 0) { y -= 1; q = 4; }
  return `${y}Q${q}`;
}

export function settlementHref(facility, period) {
  return '#/settlements/' + encodeURIComponent(facility) + '/' + encodeURIComponent(period);
}

function runForm(period) {
  return html`<form class="filters" id="stl-run" data-testid="settle-run">
      <label><input type="checkbox" name="reopen" value="1"> ${t('stl.reopen')}</label>
      <label>${t('stl.reason')}<input name="reason" size="24"></label>
      <button class="btn primary small" type="submit" data-testid="settle-run-submit">${t('stl.run', { period })}</button>
    </form><p id="stl-msg" class="muted" data-testid="settle-msg"></p>`;
}

export async function render(el, ctx) {
  const period = ctx.params.get('period') || lastQuarter();
  const manager = ctx.user.role === 'manager' || ctx.user.role === 'admin';
  const data = await get('/settlements', { period });
  const items = data.settlements || [];
  el.innerHTML = html`
    <div class="titlebar"><h1>${t('stl.title')}</h1><span class="count">${fmtInt(items.length)}</span></div>
    <form class="filters" id="stl-filters">
      <label>${t('stl.period')}<input name="period" size="7" value="${period}" data-testid="settle-period"></label>
      <button class="btn small" type="submit">${t('common.filter')}</button>
    </form>
    ${manager ? runForm(period) : ''}
    ${table([
      { label: t('f.facility_code'), render: (s) => html`<a href="${settlementHref(s.facility, s.period)}" data-settlement="${s.facility}">${s.facility}</a>` },
      { label: t('f.name'), key: 'facility_name' },
      { label: t('stl.version'), num: true, render: (s) => fmtInt(s.version) },
      { label: t('stl.accepted'), num: true, render: (s) => fmtInt(s.figures.accepted) },
      { label: t('stl.advance'), num: true, render: (s) => fmtInt(s.figures.advance) },
      { label: t('stl.recoveries'), num: true, render: (s) => fmtInt(s.figures.recoveries) },
      { label: t('stl.balance'), num: true, render: (s) => fmtInt(s.figures.balance) },
      { label: t('stl.created_at'), render: (s) => fmtTime(s.created_at) },
    ], items, { testid: 'settlements-table' })}`.toString();
  el.querySelector('#stl-filters').addEventListener('submit', (e) => { e.preventDefault(); ctx.setParams(formData(e.target)); });
  const run = el.querySelector('#stl-run');
  if (run) run.addEventListener('submit', (e) => settle(e, el, ctx, period));
  const stored = ctx.params.get('stored');
  if (run && stored !== null) {
    el.querySelector('#stl-msg').textContent = t('stl.stored', { n: fmtInt(stored), differ: fmtInt(ctx.params.get('differ') || 0) });
  }
}

async function settle(e, el, ctx, period) {
  e.preventDefault();
  const f = formData(e.target);
  const msg = el.querySelector('#stl-msg');
  try {
    const r = await post('/settlements', { period, reopen: f.reopen === '1', reason: f.reason || undefined });
    const differ = (r.settlements || []).filter((s) => s.differs_from_stored && !f.reopen).length;
    ctx.setParams({ period, stored: r.stored, differ });
  } catch (err) {
    msg.textContent = t('common.error') + ': ' + err.message;
    msg.className = 'alert error';
  }
}
