// views/dashboard.js — GET /dashboard and GET /coverage: totals, coverage by
// province, spend by payment method, top rules, DRG case mix, monthly trend.
import { get } from '../api.js';
import { t, tv } from '../i18n.js';
import { html, table, fmtInt, fmtVnd, fmtPct, formData } from '../util.js';
import { chart, palette } from '../charts.js';

export async function render(el, ctx) {
  const p = ctx.params;
  const [d, cov] = await Promise.all([
    get('/dashboard', { from: p.get('from'), to: p.get('to') }),
    get('/coverage', { date: p.get('date') }).catch((e) => ({ error: e })),
  ]);
  const tot = d.totals || {};
  const byProv = d.by_province || [];
  const covProv = (cov && cov.by_province) || [];
  const methods = d.by_payment_method || [];
  const rules = (d.top_rules || []).slice().sort((a, b) => (b.amount || 0) - (a.amount || 0)).slice(0, 12);
  const mix = d.drg_mix || [];
  const months = d.by_month || [];
  el.innerHTML = html`
    <div class="titlebar"><h1>${t('dash.title')}</h1>
      <form class="filters inline" id="dash-period">
        <label>${t('common.from')}<input type="date" name="from" value="${p.get('from') || ''}"></label>
        <label>${t('common.to')}<input type="date" name="to" value="${p.get('to') || ''}"></label>
        <button class="btn small" type="submit">${t('common.filter')}</button>
      </form></div>
    <div class="totals" data-testid="totals">
      ${['claims', 'claimed', 'fund_pays', 'rejected_amount', 'to_review'].map((k) => html`<div class="total"><div class="tl">${t('dash.totals.' + k)}</div>
        <div class="tv num">${k === 'claims' || k === 'to_review' ? fmtInt(tot[k]) : fmtVnd(tot[k])}</div></div>`)}
    </div>
    <div class="charts2">
      <section class="card chart"><h2>${t('dash.coverage')}</h2>
        ${cov && !cov.error ? html`<div class="muted small" data-testid="coverage-total">${t('dash.coverage_total', { rate: fmtPct(cov.rate), insured: fmtInt(cov.insured), population: fmtInt(cov.population) })}</div>` : ''}
        <div class="cbox"><canvas id="c-coverage"></canvas></div></section>
      <section class="card chart"><h2>${t('dash.trend')}</h2><div class="cbox"><canvas id="c-trend"></canvas></div></section>
    </div>
    <div class="charts3">
      <section class="card chart"><h2>${t('dash.paymethod')}</h2><div class="cbox"><canvas id="c-method"></canvas></div></section>
      <section class="card chart"><h2>${t('dash.top_rules')}</h2><div class="cbox"><canvas id="c-rules"></canvas></div></section>
      <section class="card chart"><h2>${t('dash.drg_mix')}</h2><div class="cbox"><canvas id="c-drg"></canvas></div></section>
    </div>
    <section class="card"><h2>${t('dash.by_province')}</h2><div class="scroll">${table([
      { label: t('f.province'), render: (r) => html`${r.province} <span class="muted">${r.name || ''}</span>` },
      { label: t('f.claims'), num: true, render: (r) => fmtInt(r.claims) },
      { label: t('f.fund_pays'), num: true, render: (r) => fmtInt(r.fund_pays) },
      { label: t('f.rejected'), num: true, render: (r) => fmtInt(r.rejected_amount) },
      { label: t('dash.insured'), num: true, render: (r) => { const c = covProv.find((x) => x.province === r.province); return c ? fmtInt(c.insured) : ''; } },
      { label: t('dash.rate'), num: true, render: (r) => { const c = covProv.find((x) => x.province === r.province); return c ? fmtPct(c.rate) : ''; } },
    ], byProv, { testid: 'dash-provinces' })}</div></section>`.toString();

  el.querySelector('#dash-period').addEventListener('submit', (e) => { e.preventDefault(); ctx.setParams(formData(e.target)); });

  chart(el.querySelector('#c-coverage'), {
    type: 'bar',
    data: {
      labels: covProv.map((r) => r.name || r.province),
      datasets: [{ label: t('dash.rate'), data: covProv.map((r) => Number(r.rate) * 100), backgroundColor: palette[0] }],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, max: 100, ticks: { callback: (v) => v + '%' } } } },
  });
  chart(el.querySelector('#c-trend'), {
    type: 'line',
    data: {
      labels: months.map((m) => m.month),
      datasets: [
        { label: t('f.fund_pays'), data: months.map((m) => m.fund_pays), borderColor: palette[0], backgroundColor: palette[0], yAxisID: 'y', tension: 0.2 },
        { label: t('f.rejected'), data: months.map((m) => m.rejected_amount), borderColor: palette[3], backgroundColor: palette[3], yAxisID: 'y', tension: 0.2 },
        { label: t('f.claims'), data: months.map((m) => m.claims), borderColor: palette[2], backgroundColor: palette[2], yAxisID: 'y1', borderDash: [4, 3], tension: 0.2 },
      ],
    },
    options: { scales: { y1: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } } } },
  });
  chart(el.querySelector('#c-method'), {
    type: 'doughnut',
    data: {
      labels: methods.map((m) => tv('paymethod', m.method)),
      datasets: [{ data: methods.map((m) => m.amount), backgroundColor: palette }],
    },
    options: { plugins: { legend: { position: 'right' } } },
  });
  chart(el.querySelector('#c-rules'), {
    type: 'bar',
    data: {
      labels: rules.map((r) => r.rule),
      datasets: [{ label: t('f.rejected'), data: rules.map((r) => r.amount), backgroundColor: palette[3] }],
    },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { y: { ticks: { font: { size: 10 } } } } },
  });
  chart(el.querySelector('#c-drg'), {
    type: 'bar',
    data: {
      labels: mix.map((m) => 'MDC ' + m.mdc),
      datasets: [{ label: t('dash.cases'), data: mix.map((m) => m.cases), backgroundColor: palette[5] }],
    },
    options: { plugins: { legend: { display: false } } },
  });
}
