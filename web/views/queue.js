// views/queue.js — GET /queue: the review queue, filterable, sortable, paged.
import { get } from '../api.js';
import { t, tv } from '../i18n.js';
import { html, table, pager, fmtInt, fmtDate, badge, riskCell, claimHref, formData } from '../util.js';

const LIMIT = 50;
const FILTERS = ['province', 'facility', 'rule', 'min_risk', 'status'];

export function claimColumns(opts = {}) {
  const cols = [
    { label: t('f.claim_id'), render: (r) => html`<a href="${claimHref(r.claim_id)}" class="claimlink" data-claim="${r.claim_id}">${r.claim_key}</a>` },
    { label: t('f.facility'), render: (r) => html`<span title="${r.facility_name || ''}">${r.facility}</span> <span class="muted small">${r.facility_name || ''}</span>` },
  ];
  if (opts.province !== false) cols.push({ label: t('f.province'), key: 'province' });
  cols.push(
    { label: t('f.card'), key: 'card', cls: 'mono' },
    { label: t('f.admitted'), sort: 'admitted', render: (r) => fmtDate(r.admitted_at) },
    { label: t('f.visit_class'), render: (r) => tv('visit', r.visit_class) },
    { label: t('f.outcome'), render: (r) => badge('outcome', r.outcome) },
    { label: t('f.review_status'), render: (r) => badge('review_status', r.review_status) },
    { label: t('f.claimed'), num: true, sort: 'claimed', render: (r) => fmtInt(r.claimed) },
    { label: t('f.fund_pays'), num: true, sort: 'fund_pays', render: (r) => fmtInt(r.fund_pays) },
    { label: t('f.rejected'), num: true, render: (r) => fmtInt(r.rejected_amount) },
  );
  if (opts.risk !== false) cols.push({ label: t('f.risk'), num: true, sort: 'risk', render: (r) => riskCell(r.risk_score, r.risk_flagged) });
  cols.push({ label: t('f.rules'), cls: 'rules', render: (r) => (r.rules || []).map((x) => html`<span class="tag">${x}</span>`) });
  return cols;
}

export async function render(el, ctx) {
  const p = ctx.params;
  const sort = p.get('sort') || 'risk';
  const order = p.get('order') || 'desc';
  const offset = Math.max(0, parseInt(p.get('offset') || '0', 10) || 0);
  const q = { sort, order, limit: LIMIT, offset };
  for (const f of FILTERS) if (p.get(f)) q[f] = p.get(f);
  const data = await get('/queue', q);
  const items = data.items || [];
  const total = data.total ?? items.length;
  const status = p.get('status') || 'open';
  el.innerHTML = html`
    <div class="titlebar"><h1>${t('queue.title')}</h1><span class="count" data-testid="queue-total">${t('queue.total', { total: fmtInt(total) })}</span></div>
    <form class="filters" id="queue-filters">
      <label>${t('f.province')}<input name="province" size="4" value="${p.get('province') || ''}"></label>
      <label>${t('f.facility_code')}<input name="facility" size="7" value="${p.get('facility') || ''}"></label>
      <label>${t('f.rule')}<input name="rule" size="18" value="${p.get('rule') || ''}" placeholder="PRICE_ABOVE_BID"></label>
      <label>${t('f.min_risk')}<input name="min_risk" type="number" min="0" max="1" step="0.05" size="5" value="${p.get('min_risk') || ''}"></label>
      <label>${t('f.status')}<select name="status">${['open', 'documents_requested', 'all'].map((s) => html`<option value="${s}" ${s === status ? 'selected' : ''}>${tv('qstatus', s)}</option>`)}</select></label>
      <button class="btn primary small" type="submit">${t('common.filter')}</button>
      <button class="btn small" type="button" id="queue-reset">${t('common.reset')}</button>
    </form>
    ${table(claimColumns(), items, { sort, order, testid: 'queue-table' })}
    ${pager(total, offset, LIMIT)}`.toString();

  const current = () => {
    const o = {};
    for (const f of FILTERS) if (p.get(f)) o[f] = p.get(f);
    o.sort = sort; o.order = order;
    return o;
  };
  el.querySelector('#queue-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = formData(e.target);
    const o = { sort, order };
    for (const k of FILTERS) if (f[k]) o[k] = f[k];
    if (o.status === 'open') delete o.status;
    ctx.setParams(o);
  });
  el.querySelector('#queue-reset').addEventListener('click', () => ctx.setParams({}));
  el.querySelectorAll('th[data-sort]').forEach((th) => {
    const go = () => {
      const s = th.dataset.sort;
      const o = current();
      o.order = s === sort && order === 'desc' ? 'asc' : 'desc';
      o.sort = s;
      ctx.setParams(o);
    };
    th.addEventListener('click', go);
    th.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
  });
  el.querySelectorAll('[data-page]').forEach((b) => b.addEventListener('click', () => {
    const o = current();
    o.offset = b.dataset.page === 'next' ? offset + LIMIT : Math.max(0, offset - LIMIT);
    ctx.setParams(o);
  }));
}
