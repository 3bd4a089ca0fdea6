// views/drugs.js — drug supply (eLMIS): GET /elmis/prices (price dispersion per
// product, projected savings, top products by fund spend, CSV download),
// GET /elmis/validation, /elmis/gaps and /elmis/warnings (findings tables).
// Staff see everything in their scope; a facility user its own findings (no prices).
import { get } from '../api.js';
import { t, tv } from '../i18n.js';
import { html, table, fmtInt, fmtNum, fmtVnd, formData } from '../util.js';
import { chart, palette } from '../charts.js';

const TOP_CHART = 15;
const ROWS = 200;

function productLabel(p) {
  return p.ingredient + (p.strength ? ' ' + p.strength : '');
}

/* The prices table as CSV (the columns of `giamdinh elmis prices`). */
function pricesCsv(items) {
  const cols = ['ingredient', 'strength', 'form', 'facilities', 'min', 'median', 'p90', 'max', 'best', 'spend',
    'above_median_per_mille', 'save_to_median', 'save_to_best'];
  const cell = (v) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  return [cols.join(',')].concat(items.map((p) => cols.map((c) => cell(p[c])).join(','))).join('\r\n') + '\r\n';
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function findingsTable(doc, testid, extra) {
  const cols = [
    { label: t('drugs.kind'), render: (f) => html`<span class="badge">${tv('elmis', f.kind)}</span>` },
    { label: t('f.facility_code'), key: 'facility' },
    { label: t('drugs.drug'), render: (f) => html`${f.drug} <span class="muted">${f.drug_name || ''}</span>` },
    { label: t('drugs.month'), key: 'month' },
  ].concat(extra, [{ label: t('drugs.detail'), key: 'detail' }]);
  const rows = (doc && doc.findings) || [];
  return html`${table(cols, rows, { testid })}
    ${doc && doc.total > rows.length ? html`<p class="muted small">${t('drugs.shown', { n: fmtInt(rows.length), total: fmtInt(doc.total) })}</p>` : ''}`;
}

function counts(doc) {
  const c = (doc && doc.counts) || {};
  return html`<div class="muted small">${Object.keys(c).map((k) => html`<span class="count-item">${tv('elmis', k)}: <b>${fmtInt(c[k])}</b></span> `)}</div>`;
}

const num = (key) => ({ label: t('drugs.' + key), num: true, render: (f) => fmtNum(f[key], 0) });

function renderPage(el, ctx, d) {
  const { prices, validation, gaps, warnings, period } = d;
  const items = (prices && prices.items) || [];
  const tot = (prices && prices.totals) || {};
  const claims = (gaps && gaps.claims) || {};
  el.innerHTML = html`
    <div class="titlebar"><h1>${t('drugs.title')}</h1>
      <form class="filters inline" id="drugs-period">
        <label>${t('drugs.from')}<input type="month" name="from" value="${period ? period.from : ''}"></label>
        <label>${t('drugs.to')}<input type="month" name="to" value="${period ? period.to : ''}"></label>
        <button class="btn small" type="submit">${t('common.filter')}</button>
      </form></div>
    ${!period ? html`<p class="alert" data-testid="drugs-empty">${t('drugs.empty')}</p>` : ''}
    ${prices ? html`<div class="totals" data-testid="drugs-totals">
      <div class="total"><div class="tl">${t('drugs.spend')}</div><div class="tv num">${fmtVnd(tot.spend)}</div></div>
      <div class="total"><div class="tl">${t('drugs.save_median')}</div><div class="tv num">${fmtVnd(tot.save_to_median)}</div></div>
      <div class="total"><div class="tl">${t('drugs.save_best', { p: prices.best_percentile || '' })}</div><div class="tv num">${fmtVnd(tot.save_to_best)}</div></div>
      <div class="total"><div class="tl">${t('drugs.products')}</div><div class="tv num">${fmtInt(tot.products)}</div></div>
    </div>
    <div class="charts2">
      <section class="card chart"><h2>${t('drugs.dispersion')}</h2><div class="muted small">${t('drugs.dispersion_note')}</div>
        <div class="cbox"><canvas id="c-dispersion"></canvas></div></section>
      <section class="card chart"><h2>${t('drugs.top_spend')}</h2><div class="cbox"><canvas id="c-spend"></canvas></div></section>
    </div>
    <section class="card"><div class="titlebar"><h2>${t('drugs.prices')}</h2>
      <button type="button" class="btn small" id="prices-csv" data-testid="prices-csv" ${items.length ? '' : 'disabled'}>${t('drugs.csv')}</button></div>
      <div class="scroll">${table([
        { label: t('drugs.product'), render: (p) => html`${p.ingredient} <span class="muted">${p.strength} · ${p.form}</span>` },
        { label: t('drugs.facilities'), num: true, render: (p) => fmtInt(p.facilities) },
        num('min'), num('median'), num('p90'), num('max'),
        { label: t('drugs.spend'), num: true, render: (p) => fmtInt(p.spend) },
        { label: t('drugs.save_median'), num: true, render: (p) => fmtInt(p.save_to_median) },
        { label: t('drugs.save_best_short'), num: true, render: (p) => fmtInt(p.save_to_best) },
      ], items, { testid: 'prices-table' })}</div></section>` : ''}
    <section class="card"><h2>${t('drugs.warnings')}</h2>${counts(warnings)}
      <div class="scroll">${findingsTable(warnings, 'warnings-table', [num('a'), num('b')])}</div></section>
    <section class="card"><h2>${t('drugs.gaps')}</h2>${counts(gaps)}
      ${gaps && gaps.claims ? html`<p class="muted small" data-testid="gaps-claims">${t('drugs.gaps_claims', { read: fmtInt(claims.read), heads: fmtInt(claims.heads), without: fmtInt(claims.without_source) })}</p>` : ''}
      <div class="scroll">${findingsTable(gaps, 'gaps-table', [
        { label: t('drugs.claimed'), num: true, render: (f) => fmtNum(f.a, 0) },
        { label: t('drugs.dispensed'), num: true, render: (f) => (f.kind === 'DISPENSED_GAP' ? fmtNum(f.b, 0) : '') },
        { label: t('drugs.claim_lines'), num: true, render: (f) => fmtInt(f.claim_lines) }])}</div></section>
    <section class="card"><h2>${t('drugs.validation')}</h2>${counts(validation)}
      <div class="scroll">${findingsTable(validation, 'validation-table', [num('a'), num('b'), num('c')])}</div></section>`.toString();

  el.querySelector('#drugs-period').addEventListener('submit', (e) => { e.preventDefault(); ctx.setParams(formData(e.target)); });
  if (!prices) return;
  const csv = el.querySelector('#prices-csv');
  csv.addEventListener('click', () => download(`elmis-prices-${period ? period.from + '-' + period.to : 'none'}.csv`, pricesCsv(items)));
  drawCharts(el, items.slice(0, TOP_CHART));
}

/* Dispersion: each product's min–max as a floating bar, median and p90 as points, all in % of the median. */
function drawCharts(el, top) {
  const pct = (v, p) => (p.median ? (Number(v) / Number(p.median)) * 100 : 0);
  chart(el.querySelector('#c-dispersion'), {
    type: 'bar',
    data: {
      labels: top.map(productLabel),
      datasets: [
        { label: t('drugs.range'), data: top.map((p) => [pct(p.min, p), pct(p.max, p)]), backgroundColor: 'rgba(31,95,168,0.35)', borderColor: palette[0], borderWidth: 1 },
        { type: 'line', label: t('drugs.median'), data: top.map((p) => pct(p.median, p)), showLine: false, pointStyle: 'rectRot', pointRadius: 5, borderColor: palette[1], backgroundColor: palette[1] },
        { type: 'line', label: t('drugs.p90'), data: top.map((p) => pct(p.p90, p)), showLine: false, pointStyle: 'triangle', pointRadius: 5, borderColor: palette[3], backgroundColor: palette[3] },
      ],
    },
    options: {
      plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + (Array.isArray(c.raw) ? c.raw.map((v) => fmtNum(v, 0)).join('–') : fmtNum(c.raw, 0)) + ' %' } } },
      scales: { y: { beginAtZero: false, ticks: { callback: (v) => v + ' %' } }, x: { ticks: { font: { size: 9 } } } },
    },
  });
  chart(el.querySelector('#c-spend'), {
    type: 'bar',
    data: {
      labels: top.map(productLabel),
      datasets: [
        { label: t('drugs.spend'), data: top.map((p) => p.spend), backgroundColor: palette[0] },
        { label: t('drugs.save_best_short'), data: top.map((p) => p.save_to_best), backgroundColor: palette[2] },
      ],
    },
    options: { indexAxis: 'y', scales: { y: { ticks: { font: { size: 10 } } } } },
  });
}

export async function render(el, ctx) {
  const p = ctx.params;
  const q = { from: p.get('from'), to: p.get('to') };
  const staff = ctx.user.role !== 'facility';
  const [prices, validation, gaps, warnings] = await Promise.all([
    staff ? get('/elmis/prices', Object.assign({ top: 100 }, q)) : null,
    get('/elmis/validation', Object.assign({ limit: ROWS }, q)),
    get('/elmis/gaps', Object.assign({ limit: ROWS }, q)),
    get('/elmis/warnings', Object.assign({ limit: ROWS }, q)),
  ]);
  renderPage(el, ctx, { prices, validation, gaps, warnings, period: validation.period });
}
