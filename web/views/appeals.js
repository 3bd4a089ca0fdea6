// views/appeals.js — GET /appeals: appeals (facility users their own, reviewers their province).
import { get } from '../api.js';
import { t, tv } from '../i18n.js';
import { html, table, fmtTime, badge, claimHref } from '../util.js';

export async function render(el, ctx) {
  const status = ctx.params.get('status') || '';
  const d = await get('/appeals', { status });
  const items = d.items || [];
  el.innerHTML = html`
    <div class="titlebar"><h1>${t('appeals.title')}</h1><span class="count">${items.length}</span>
      <form class="filters inline" id="appeal-filter"><label>${t('f.status')}<select name="status">
        <option value="">${t('common.all')}</option>${['open', 'upheld', 'overturned', 'partial'].map((s) => html`<option value="${s}" ${s === status ? 'selected' : ''}>${tv('appeal', s)}</option>`)}
      </select></label></form></div>
    ${table([
      { label: '#', num: true, key: 'id' },
      { label: t('f.claim_id'), render: (a) => html`<a href="${claimHref(a.claim_id)}">${a.claim_id}</a>` },
      { label: t('f.round'), num: true, key: 'round' },
      { label: t('f.revision'), num: true, key: 'revision' },
      { label: t('f.statement'), key: 'statement' },
      { label: t('f.line'), render: (a) => (a.lines || []).map((l) => 'XML' + l.table + ' #' + l.stt).join(', ') },
      { label: t('f.status'), render: (a) => badge('appeal', a.status) },
      { label: t('f.opened_by'), key: 'opened_by' },
      { label: t('f.opened_at'), render: (a) => fmtTime(a.opened_at) },
      { label: t('f.decided_by'), key: 'decided_by' },
      { label: t('f.response'), key: 'response' },
    ], items, { testid: 'appeals-table' })}`.toString();
  el.querySelector('#appeal-filter select').addEventListener('change', (e) => ctx.setParams({ status: e.target.value }));
}
