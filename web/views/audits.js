// views/audits.js — GET/POST /audits and GET /audits/{id}: post-payment audits.
import { get, post } from '../api.js';
import { t, tv } from '../i18n.js';
import { html, table, fmtInt, fmtDate, fmtTime, badge, claimHref, errorBox, formData } from '../util.js';

function auditCols() {
  return [
    { label: '#', num: true, render: (a) => html`<a href="#/audits/${a.id}">${a.id}</a>` },
    { label: t('f.kind'), render: (a) => tv('audit.kind', a.kind) },
    { label: t('f.facility'), render: (a) => html`<a href="#/providers/${encodeURIComponent(a.facility)}">${a.facility}</a>` },
    { label: t('f.period'), render: (a) => fmtDate(a.from) + ' – ' + fmtDate(a.to) },
    { label: t('f.population'), num: true, render: (a) => html`${fmtInt(a.population_claims)} <span class="muted small">/ ${fmtInt(a.population_paid)}</span>` },
    { label: t('f.sample'), num: true, render: (a) => html`${fmtInt(a.sample_claims)} <span class="muted small">/ ${fmtInt(a.sample_paid)}</span>` },
    { label: t('f.recovered'), num: true, render: (a) => fmtInt(a.sample_recovered) },
    { label: t('f.estimate'), num: true, render: (a) => html`<b>${fmtInt(a.estimate)}</b>` },
    { label: t('f.ci'), num: true, render: (a) => (a.ci_low !== undefined && a.ci_low !== null ? fmtInt(a.ci_low) + ' – ' + fmtInt(a.ci_high) + (a.confidence_pct ? ' (' + a.confidence_pct + '%)' : '') : '') },
    { label: t('f.status'), render: (a) => badge('audit', a.status) },
    { label: t('f.created_by'), render: (a) => html`${a.created_by} <span class="muted small">${fmtTime(a.created_at)}</span>` },
  ];
}

let flash = null;

async function detail(el, ctx) {
  const d = await get('/audits/' + encodeURIComponent(ctx.segs[1]));
  const a = d.audit || {};
  const f = flash; flash = null;
  el.innerHTML = html`
    <div class="titlebar"><a href="#/audits" class="back">${t('common.back')}</a><h1 data-testid="audit-title">${t('audit.title', { id: a.id })}</h1></div>
    ${f ? html`<div class="alert ok" role="status">${f}</div>` : ''}
    <section class="card">${table(auditCols(), [a])}</section>
    <section class="card"><h2>${t('claims.alltitle')}</h2>${table([
      { label: t('f.claim_id'), render: (c) => html`<a href="${claimHref(c.claim_id)}">${c.claim_id}</a>` },
      { label: t('f.revision_before'), num: true, key: 'revision_before' },
      { label: t('f.revision_after'), num: true, key: 'revision_after' },
      { label: t('f.paid_before'), num: true, render: (c) => fmtInt(c.paid_before) },
      { label: t('f.paid_after'), num: true, render: (c) => fmtInt(c.paid_after) },
      { label: t('f.recovered'), num: true, render: (c) => { const r = (c.paid_before || 0) - (c.paid_after ?? c.paid_before ?? 0); return r ? html`<b class="neg">${fmtInt(r)}</b>` : fmtInt(0); } },
    ], a.claims || [], { testid: 'audit-claims' })}</section>`.toString();
}

export async function render(el, ctx) {
  if (ctx.segs.length >= 2) return detail(el, ctx);
  const d = await get('/audits');
  const items = d.items || [];
  const canCreate = ctx.user.role === 'reviewer' || ctx.user.role === 'manager';
  el.innerHTML = html`
    <div class="titlebar"><h1>${t('audits.title')}</h1><span class="count">${items.length}</span></div>
    ${canCreate ? html`<section class="card"><h2>${t('audits.new')}</h2>
      <form id="audit-form" class="panel-form" data-testid="audit-form">
        <label>${t('f.kind')}<select name="kind"><option value="claims">${tv('audit.kind', 'claims')}</option><option value="sample">${tv('audit.kind', 'sample')}</option></select></label>
        <label>${t('f.facility_code')}<input name="facility" size="7" required></label>
        <label>${t('common.from')}<input type="date" name="from" required></label>
        <label>${t('common.to')}<input type="date" name="to" required></label>
        <label class="only-sample">${t('f.sample_size')}<input type="number" name="sample_size" min="1" size="6" value="30"></label>
        <label class="only-sample">${t('f.confidence')}<select name="confidence"><option>90</option><option selected>95</option><option>99</option></select></label>
        <label class="only-sample">${t('f.seed')}<input type="number" name="seed" size="6" value="1"></label>
        <button class="btn primary" type="submit">${t('common.submit')}</button>
        <div class="form-msg" role="status"></div>
      </form></section>` : ''}
    ${table(auditCols(), items, { testid: 'audits-table' })}`.toString();
  const form = el.querySelector('#audit-form');
  if (!form) return;
  const sync = () => form.querySelectorAll('.only-sample').forEach((x) => { x.hidden = form.kind.value !== 'sample'; });
  form.kind.addEventListener('change', sync);
  sync();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formData(form);
    const body = { kind: v.kind, facility: v.facility, from: v.from, to: v.to };
    if (v.kind === 'sample') {
      body.sample_size = parseInt(v.sample_size, 10);
      body.confidence = parseInt(v.confidence, 10);
      if (v.seed !== '') body.seed = parseInt(v.seed, 10);
    }
    const msg = form.querySelector('.form-msg');
    msg.textContent = t('common.loading'); msg.className = 'form-msg';
    try {
      const r = await post('/audits', body);
      flash = t('audit.created', { id: r.audit.id });
      ctx.navigate('#/audits/' + r.audit.id);
    } catch (err) {
      msg.textContent = err.message; msg.className = 'form-msg error';
    }
  });
}
