// views/provider.js — GET /providers/{facility}: monthly cost per case, LOS and
// rejection rate against the peer group's means, and the top rules.
import { get, ApiError } from '../api.js';
import { t } from '../i18n.js';
import { html, table, fmtInt, fmtNum, fmtPct, fmtRisk, formData } from '../util.js';
import { chart, palette } from '../charts.js';

function series(months, peers, key) {
  const labels = [...new Set([...months.map((m) => m.month), ...peers.map((m) => m.month)])].sort();
  const pick = (arr) => labels.map((l) => { const m = arr.find((x) => x.month === l); return m && m[key] !== null && m[key] !== undefined ? Number(m[key]) : null; });
  return { labels, mine: pick(months), peer: pick(peers) };
}

function lineChart(canvas, s, pct) {
  return chart(canvas, {
    type: 'line',
    data: {
      labels: s.labels,
      datasets: [
        { label: t('provider.this'), data: s.mine, borderColor: palette[0], backgroundColor: palette[0], tension: 0.2, spanGaps: true },
        { label: t('provider.peers'), data: s.peer, borderColor: palette[1], backgroundColor: palette[1], borderDash: [5, 4], tension: 0.2, spanGaps: true },
      ],
    },
    options: pct ? { scales: { y: { beginAtZero: true, ticks: { callback: (v) => fmtPct(v, 0) } } } } : {},
  });
}

export async function render(el, ctx) {
  const code = ctx.segs[1];
  const p = ctx.params;
  let d;
  try {
    d = await get('/providers/' + encodeURIComponent(code), { from: p.get('from'), to: p.get('to') });
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) {
      el.innerHTML = html`<h1>${t('notfound.title')}</h1><p class="alert" data-testid="not-found">${t('notfound.page')}</p>`.toString();
      return;
    }
    throw e;
  }
  const fac = d.facility || {};
  const months = d.months || [];
  const peers = d.peer_months || [];
  const risk = d.risk || {};
  el.innerHTML = html`
    <div class="titlebar"><a href="#/providers" class="back">${t('common.back')}</a>
      <h1 data-testid="provider-title">${t('provider.title', { name: (fac.code || code) + ' ' + (fac.name || '') })}</h1></div>
    <div class="subbar">
      <span>${t('f.province')}: <b>${fac.province || ''}</b></span>
      <span>${t('f.level')}: <b>${fac.level ?? ''}</b></span>
      <span>${t('f.beds')}: <b>${fmtInt(fac.beds)}</b></span>
      <span>${t('provider.peer_group', { group: d.peer_group || '', n: fmtInt(d.peers) })}</span>
      <span>${t('provider.risk', { flagged: fmtInt(risk.flagged), mean: fmtRisk(risk.mean_score) })}</span>
      <form class="filters inline" id="prov-period">
        <label>${t('common.from')}<input type="date" name="from" value="${p.get('from') || ''}"></label>
        <label>${t('common.to')}<input type="date" name="to" value="${p.get('to') || ''}"></label>
        <button class="btn small" type="submit">${t('common.filter')}</button>
      </form>
    </div>
    <div class="charts3">
      <section class="card chart"><h2>${t('provider.cost_per_case')}</h2><div class="cbox"><canvas id="c-cost"></canvas></div></section>
      <section class="card chart"><h2>${t('provider.los')}</h2><div class="cbox"><canvas id="c-los"></canvas></div></section>
      <section class="card chart"><h2>${t('provider.rejection_rate')}</h2><div class="cbox"><canvas id="c-rej"></canvas></div></section>
    </div>
    <div class="cards2 wide-left">
      <section class="card"><h2>${t('provider.months')}</h2>${table([
        { label: t('f.month'), key: 'month' },
        { label: t('f.claims'), num: true, render: (m) => fmtInt(m.claims) },
        { label: t('f.inpatient'), num: true, render: (m) => fmtInt(m.inpatient) },
        { label: t('f.cost_per_case'), num: true, render: (m) => fmtInt(m.cost_per_case) },
        { label: t('f.los'), num: true, render: (m) => fmtNum(m.los, 1) },
        { label: t('f.rejection_rate'), num: true, render: (m) => fmtPct(m.rejection_rate) },
        { label: t('f.fund_pays'), num: true, render: (m) => fmtInt(m.fund_pays) },
        { label: t('f.cmi'), num: true, render: (m) => fmtNum(m.cmi, 3) },
      ], months, { testid: 'provider-months' })}</section>
      <section class="card"><h2>${t('provider.top_rules')}</h2>${table([
        { label: t('f.rule'), render: (r) => html`<a href="#/queue?facility=${encodeURIComponent(fac.code || code)}&rule=${encodeURIComponent(r.rule)}&status=all" class="tag">${r.rule}</a>` },
        { label: t('f.hits'), num: true, render: (r) => fmtInt(r.hits) },
        { label: t('f.amount'), num: true, render: (r) => fmtInt(r.amount) },
      ], d.top_rules || [], { testid: 'provider-rules' })}</section>
    </div>`.toString();
  lineChart(el.querySelector('#c-cost'), series(months, peers, 'cost_per_case'));
  lineChart(el.querySelector('#c-los'), series(months, peers, 'los'));
  lineChart(el.querySelector('#c-rej'), series(months, peers, 'rejection_rate'), true);
  el.querySelector('#prov-period').addEventListener('submit', (e) => { e.preventDefault(); ctx.setParams(formData(e.target)); });
}
