// views/claims.js — GET /claims: "my claims" for facility users, all claims for staff.
import { get } from '../api.js';
import { t, tv } from '../i18n.js';
import { html, table, pager, fmtInt, formData } from '../util.js';
import { claimColumns } from './queue.js';

const LIMIT = 50;
const FILTERS = ['facility', 'outcome', 'from', 'to'];

export async function render(el, ctx) {
  const p = ctx.params;
  const offset = Math.max(0, parseInt(p.get('offset') || '0', 10) || 0);
  const q = { limit: LIMIT, offset };
  for (const f of FILTERS) if (p.get(f)) q[f] = p.get(f);
  const data = await get('/claims', q);
  const items = data.items || [];
  const total = data.total ?? items.length;
  const fac = ctx.user.role === 'facility';
  const outcome = p.get('outcome') || '';
  el.innerHTML = html`
    <div class="titlebar"><h1>${fac ? t('claims.title') : t('claims.alltitle')}</h1><span class="count" data-testid="claims-total">${t('queue.total', { total: fmtInt(total) })}</span></div>
    <form class="filters" id="claims-filters">
      ${fac ? '' : html`<label>${t('f.facility_code')}<input name="facility" size="7" value="${p.get('facility') || ''}"></label>`}
      <label>${t('f.outcome')}<select name="outcome"><option value="">${t('common.all')}</option>${['accepted', 'partial', 'rejected'].map((s) => html`<option value="${s}" ${s === outcome ? 'selected' : ''}>${tv('outcome', s)}</option>`)}</select></label>
      <label>${t('common.from')}<input name="from" type="date" value="${p.get('from') || ''}"></label>
      <label>${t('common.to')}<input name="to" type="date" value="${p.get('to') || ''}"></label>
      <button class="btn primary small" type="submit">${t('common.filter')}</button>
      <button class="btn small" type="button" id="claims-reset">${t('common.reset')}</button>
    </form>
    ${table(claimColumns({ province: !fac, risk: !fac }).map((c) => ({ ...c, sort: undefined })), items, { testid: 'claims-table' })}
    ${pager(total, offset, LIMIT)}`.toString();
  const current = () => { const o = {}; for (const f of FILTERS) if (p.get(f)) o[f] = p.get(f); return o; };
  el.querySelector('#claims-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = formData(e.target);
    const o = {};
    for (const k of FILTERS) if (f[k]) o[k] = f[k];
    ctx.setParams(o);
  });
  el.querySelector('#claims-reset').addEventListener('click', () => ctx.setParams({}));
  el.querySelectorAll('[data-page]').forEach((b) => b.addEventListener('click', () => {
    const o = current();
    o.offset = b.dataset.page === 'next' ? offset + LIMIT : Math.max(0, offset - LIMIT);
    ctx.setParams(o);
  }));
}
