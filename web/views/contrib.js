// views/contrib.js — contributions and arrears (GET /contrib/debtors and
// GET /contrib/collection): the debtor list on a day with its filters and
// a CSV download of the same list, the arrears by months overdue (ageing
// buckets), and the year's collection against plan per province.  A
// reviewer sees its province (the server confines it).
import { get, query } from '../api.js';
import { t } from '../i18n.js';
import { html, table, fmtInt, fmtVnd, fmtNum, formData } from '../util.js';

const FILTERS = ['as_of', 'province', 'sector', 'ownership', 'min_amount', 'min_months'];
const OWNERSHIP = ['state', 'private', 'foreign', 'cooperative', 'household_business'];

function today() { return new Date().toISOString().slice(0, 10); }

function pct(v) { return v === null || v === undefined ? '–' : fmtNum(v, 2) + ' %'; }

function filtersForm(f) {
  const own = OWNERSHIP.map((o) => html`<option value="${o}" ${f.ownership === o ? 'selected' : ''}>${t('ctb.own.' + o)}</option>`);
  return html`<form class="filters" id="ctb-filters" data-testid="contrib-filters">
      <label>${t('ctb.as_of')}<input type="date" name="as_of" value="${f.as_of}"></label>
      <label>${t('ctb.province')}<input name="province" size="3" value="${f.province || ''}"></label>
      <label>${t('ctb.sector')}<input name="sector" size="12" value="${f.sector || ''}"></label>
      <label>${t('ctb.ownership')}<select name="ownership"><option value="">${t('ctb.any')}</option>${own}</select></label>
      <label>${t('ctb.min_amount')}<input name="min_amount" size="12" value="${f.min_amount || ''}"></label>
      <label>${t('ctb.min_months')}<input name="min_months" size="3" value="${f.min_months || ''}"></label>
      <button class="btn small" type="submit">${t('common.filter')}</button>
    </form>`;
}

function bucketTotals(tot) {
  const b = tot.buckets || [];
  const cell = (label, v) => html`<div class="total"><div class="tl">${label}</div><div class="tv num">${fmtVnd(v)}</div></div>`;
  return html`<div class="totals" data-testid="contrib-buckets">
      ${cell(t('ctb.b1'), b[1])}${cell(t('ctb.b2'), b[2])}${cell(t('ctb.b3'), b[3])}${cell(t('ctb.b4'), b[4])}
      ${cell(t('ctb.interest'), tot.interest)}
    </div>`;
}

function collectionTable(col) {
  const rows = (col.provinces || []).concat(col.total ? [col.total] : []);
  return table([
    { label: t('ctb.province'), render: (r) => (r.province === 'total' ? t('ctb.total') : r.province) },
    { label: t('ctb.employers'), num: true, render: (r) => fmtInt(r.employers) },
    { label: t('ctb.debtors'), num: true, render: (r) => fmtInt(r.debtors) },
    { label: t('ctb.due'), num: true, render: (r) => fmtInt(r.due) },
    { label: t('ctb.collected'), num: true, render: (r) => fmtInt(r.collected) },
    { label: t('ctb.plan'), num: true, render: (r) => fmtInt(r.plan) },
    { label: t('ctb.collected_pct'), num: true, render: (r) => pct(r.collected_pct) },
    { label: t('ctb.overdue'), num: true, render: (r) => fmtInt(r.overdue) },
    { label: t('ctb.arrears_pct'), num: true, render: (r) => pct(r.arrears_pct) },
  ], rows, { testid: 'contrib-collection' });
}

function debtorTable(items) {
  const b = (d, k) => fmtInt((d.buckets || [])[k]);
  return table([
    { label: t('ctb.employer'), render: (d) => html`<span class="mono">${d.employer}</span> ${d.name}` },
    { label: t('ctb.province'), key: 'province' },
    { label: t('ctb.sector'), key: 'sector' },
    { label: t('ctb.ownership'), render: (d) => t('ctb.own.' + d.ownership) },
    { label: t('ctb.employees'), num: true, render: (d) => fmtInt(d.employees) },
    { label: t('ctb.months_late'), num: true, render: (d) => fmtInt(d.months_late) },
    { label: t('ctb.b1'), num: true, render: (d) => b(d, 1) },
    { label: t('ctb.b2'), num: true, render: (d) => b(d, 2) },
    { label: t('ctb.b3'), num: true, render: (d) => b(d, 3) },
    { label: t('ctb.b4'), num: true, render: (d) => b(d, 4) },
    { label: t('ctb.interest'), num: true, render: (d) => fmtInt(d.interest) },
    { label: t('ctb.total'), num: true, render: (d) => fmtInt(d.total) },
  ], items, { testid: 'contrib-debtors' });
}

export async function render(el, ctx) {
  const f = {};
  for (const k of FILTERS) f[k] = ctx.params.get(k) || '';
  if (!f.as_of) f.as_of = today();
  const year = Number(f.as_of.slice(0, 4));
  const [deb, col] = await Promise.all([
    get('/contrib/debtors', { ...f, limit: 200 }),
    get('/contrib/collection', { year, as_of: f.as_of }),
  ]);
  const tot = deb.totals || {};
  const csvHref = '/api/v1/contrib/debtors' + query({ ...f, format: 'csv' });
  el.innerHTML = html`
    <div class="titlebar"><h1>${t('ctb.title')}</h1><span class="count">${fmtInt(tot.debtors)}</span></div>
    ${filtersForm(f)}
    ${bucketTotals(tot)}
    <section class="card"><h2>${t('ctb.collection', { year })}</h2><div class="scroll">${collectionTable(col)}</div></section>
    <section class="card"><div class="titlebar"><h2>${t('ctb.debtor_list')}</h2>
      <a class="btn small" href="${csvHref}" download="debtors-${f.as_of}.csv" data-testid="contrib-csv">${t('ctb.csv')}</a>
      <span class="muted small">${t('ctb.shown', { n: fmtInt((deb.debtors || []).length), total: fmtInt(tot.debtors) })}</span></div>
      <div class="scroll">${debtorTable(deb.debtors || [])}</div></section>`.toString();
  el.querySelector('#ctb-filters').addEventListener('submit', (e) => { e.preventDefault(); ctx.setParams(formData(e.target)); });
}
