// views/providers.js — GET /providers: facilities ranked by risk or rejected amount.
import { get } from '../api.js';
import { t } from '../i18n.js';
import { html, table, fmtInt, fmtPct, fmtRisk, formData } from '../util.js';

export async function render(el, ctx) {
  const p = ctx.params;
  const sort = p.get('sort') || 'risk';
  const data = await get('/providers', { province: p.get('province'), sort });
  const items = data.items || [];
  el.innerHTML = html`
    <div class="titlebar"><h1>${t('providers.title')}</h1><span class="count">${fmtInt(items.length)}</span></div>
    <form class="filters" id="prov-filters">
      <label>${t('f.province')}<input name="province" size="4" value="${p.get('province') || ''}"></label>
      <label>${t('providers.sort')}<select name="sort">${['risk', 'rejected_amount', 'rejection_rate', 'claims', 'fund_pays', 'flagged'].map((s) => html`<option value="${s}" ${s === sort ? 'selected' : ''}>${t('providers.sort.' + s)}</option>`)}</select></label>
      <button class="btn primary small" type="submit">${t('common.filter')}</button>
    </form>
    ${table([
      { label: t('f.facility_code'), render: (r) => html`<a href="#/providers/${encodeURIComponent(r.code)}" data-provider="${r.code}">${r.code}</a>` },
      { label: t('f.name'), key: 'name' },
      { label: t('f.province'), key: 'province' },
      { label: t('f.level'), key: 'level' },
      { label: t('f.claims'), num: true, render: (r) => fmtInt(r.claims) },
      { label: t('f.fund_pays'), num: true, render: (r) => fmtInt(r.fund_pays) },
      { label: t('f.rejected'), num: true, render: (r) => fmtInt(r.rejected_amount) },
      { label: t('f.rejection_rate'), num: true, render: (r) => fmtPct(r.rejection_rate) },
      { label: t('f.flagged'), num: true, render: (r) => fmtInt(r.flagged) },
      { label: t('f.mean_risk'), num: true, render: (r) => fmtRisk(r.mean_risk) },
    ], items, { testid: 'providers-table' })}`.toString();
  el.querySelector('#prov-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.setParams(formData(e.target));
  });
}
