// views/settlement.js — GET /settlements/{facility}/{period} and GET /kpis:
// one facility's quarter (advance, accepted by payment method, recoveries,
// the ceiling, the balance), its stored versions, and its KPIs against peers
// and the contract's targets; managers download the payment file here.
import { get, ApiError } from '../api.js';
import { t } from '../i18n.js';
import { html, table, fmtInt, fmtNum, fmtPct, fmtTime } from '../util.js';

const COST = new Set(['cost_per_case', 'cost_per_weight']);

/* A KPI value kept × 10^4 in its unit. */
function kpiValue(k, e4) {
  if (e4 === null || e4 === undefined) return '–';
  const v = Number(e4) / 10000;
  if (k.share) return fmtPct(v, 2);
  if (COST.has(k.kpi)) return fmtInt(v);
  return fmtNum(v, 2);
}

function figureRows(f) {
  const rows = [
    ['stl.advance', -f.advance, 'stl.advance_note'],
    ['stl.ffs_outpatient', f.ffs_outpatient], ['stl.ffs_inpatient', f.ffs_inpatient],
    ['stl.drg', f.drg], ['stl.capitation', f.capitation], ['stl.accepted', f.accepted, null, 'total'],
    ['stl.ceiling', f.ceiling], ['stl.over_refused', -f.over_refused], ['stl.held', f.held],
    ['stl.payable_accepted', f.payable_accepted, null, 'total'], ['stl.recoveries', -f.recoveries],
    ['stl.brought_forward', f.brought_forward], ['stl.balance', f.balance, null, 'total'],
  ];
  return rows.map(([k, v, note, cls]) => html`<tr class="${cls || ''}" data-figure="${k.slice(4)}"><th>${t(k)}${note ? html` <span class="muted">(${t(note, { pct: fmtNum(f.advance_bp / 100, 2), base: fmtInt(f.advance_base) })})</span>` : ''}</th><td class="num">${fmtInt(v)}</td></tr>`);
}

function kpiTable(fk) {
  return table([
    { label: t('stl.kpi'), render: (k) => t('kpi.' + k.kpi) },
    { label: t('stl.kpi_value'), num: true, render: (k) => kpiValue(k, k.value_e4) },
    { label: t('stl.kpi_peers'), num: true, render: (k) => kpiValue(k, k.peer_e4) },
    { label: t('stl.kpi_target'), num: true, render: (k) => (k.target ? k.target.op + ' ' + kpiValue(k, k.target.value_e4) : '') },
    { label: t('stl.kpi_met'), render: (k) => (k.met === null || k.met === undefined ? '' : html`<span class="badge ${k.met ? 'outcome-accepted' : 'outcome-rejected'}">${t(k.met ? 'stl.met' : 'stl.missed')}</span>`) },
    { label: t('stl.kpi_num'), num: true, render: (k) => fmtInt(k.numerator) + ' / ' + fmtInt(k.denominator) },
  ], fk ? fk.kpis : [], { testid: 'kpi-table' });
}

async function load(code, period) {
  try {
    return await Promise.all([get('/settlements/' + encodeURIComponent(code) + '/' + encodeURIComponent(period)),
      get('/kpis', { period, facility: code })]);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return null;
    throw e;
  }
}

export async function render(el, ctx) {
  const [code, period] = [ctx.segs[1], ctx.segs[2]];
  const got = await load(code, period);
  if (!got) {
    el.innerHTML = html`<h1>${t('notfound.title')}</h1><p class="alert" data-testid="not-found">${t('notfound.page')}</p>`.toString();
    return;
  }
  const [d, k] = got;
  const versions = d.versions || [];
  const last = versions[versions.length - 1];
  const f = last.figures;
  const fk = (k.facilities || [])[0];
  const manager = ctx.user.role === 'manager' || ctx.user.role === 'admin';
  const pay = '/api/v1/settlements/' + encodeURIComponent(code) + '/' + encodeURIComponent(period) + '/payfile';
  el.innerHTML = html`
    <div class="titlebar"><a href="#/settlements?period=${encodeURIComponent(period)}" class="back">${t('common.back')}</a>
      <h1 data-testid="settlement-title">${t('stl.detail', { name: code + ' ' + (d.facility_name || ''), period })}</h1></div>
    <div class="subbar">
      <span>${t('stl.id')}: <b data-testid="settlement-id">${last.id}</b></span>
      <span>${t('stl.contract')}: <b>v${f.contract_version} · ${f.method_outpatient} / ${f.method_inpatient} · ${f.over_ceiling}</b></span>
      <span>${t('stl.claims')}: <b>${fmtInt(f.claims)}</b> (${t('stl.rejected')} ${fmtInt(f.claims_rejected)}, ${t('stl.pending')} ${fmtInt(f.claims_pending)})</span>
      ${manager && f.balance > 0 ? html`<a class="btn small" href="${pay}" download data-testid="payfile-xml">pain.001</a> <a class="btn small" href="${pay}?format=csv" download>CSV</a>` : ''}
    </div>
    <div class="cards2">
      <section class="card"><h2>${t('stl.figures')}</h2>
        <table class="grid" data-testid="settlement-figures"><tbody>${figureRows(f)}</tbody></table></section>
      <section class="card"><h2>${t('stl.kpis', { n: fmtInt(fk ? fk.peers : 0) })}</h2>${kpiTable(fk)}</section>
    </div>
    <section class="card"><h2>${t('stl.versions')}</h2>${table([
      { label: t('stl.version'), num: true, render: (v) => fmtInt(v.version) },
      { label: t('stl.created_at'), render: (v) => fmtTime(v.created_at) },
      { label: t('stl.created_by'), key: 'created_by' },
      { label: t('stl.reason'), key: 'reason' },
      { label: t('stl.accepted'), num: true, render: (v) => fmtInt(v.figures.accepted) },
      { label: t('stl.balance'), num: true, render: (v) => fmtInt(v.figures.balance) },
    ], versions, { testid: 'settlement-versions' })}</section>`.toString();
}
