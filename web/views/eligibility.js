// views/eligibility.js — GET /eligibility?card=&date=&facility=: what the hospital asks at admission.
import { get } from '../api.js';
import { t } from '../i18n.js';
import { html, fmtDate, errorBox, formData } from '../util.js';

function result(r) {
  const yn = (b) => (b === null || b === undefined ? '–' : b ? t('common.yes') : t('common.no'));
  const h = r.holder || {};
  return html`<section class="card elig ${r.eligible ? 'ok' : 'bad'}" data-testid="elig-result">
    <h2>${r.card} — <span class="${r.eligible ? 'pos' : 'neg'}">${r.eligible ? t('elig.eligible') : t('elig.not_eligible')}</span></h2>
    <dl class="kv">
      <dt>${t('elig.group')}</dt><dd>${r.group || ''}</dd>
      <dt>${t('elig.benefit_level')}</dt><dd>${r.benefit_level ?? ''}${r.benefit_pct !== undefined && r.benefit_pct !== null ? ' (' + r.benefit_pct + '%)' : ''}</dd>
      <dt>${t('elig.valid')}</dt><dd>${fmtDate(r.valid_from)} – ${fmtDate(r.valid_to)}</dd>
      <dt>${t('elig.primary')}</dt><dd>${r.primary_facility || ''}</dd>
      <dt>${t('elig.in_network')}</dt><dd>${yn(r.in_network)}</dd>
      <dt>${t('elig.five_years')}</dt><dd>${fmtDate(r.five_years_from) || '–'}</dd>
      <dt>${t('elig.holder')}</dt><dd><span class="mono">${h.person_id || ''}</span> · ${t('elig.sex')}: ${h.sex ?? ''} · ${t('elig.birth_year')}: ${h.birth_year ?? ''}</dd>
    </dl>
    ${(r.reasons || []).length ? html`<h3>${t('elig.reasons')}</h3><ul>${r.reasons.map((x) => html`<li>${typeof x === 'string' ? x : JSON.stringify(x)}</li>`)}</ul>` : ''}
  </section>`;
}

export async function render(el, ctx) {
  const p = ctx.params;
  const today = new Date().toISOString().slice(0, 10);
  const facility = p.get('facility') || ctx.user.facility || '';
  el.innerHTML = html`
    <div class="titlebar"><h1>${t('elig.title')}</h1></div>
    <form class="filters" id="elig-form">
      <label>${t('f.card')}<input name="card" id="elig-card" size="17" minlength="15" maxlength="15" required value="${p.get('card') || ''}" class="mono"></label>
      <label>${t('f.date')}<input type="date" name="date" value="${p.get('date') || today}"></label>
      <label>${t('f.facility_code')}<input name="facility" size="7" value="${facility}"></label>
      <button class="btn primary small" type="submit">${t('elig.check')}</button>
    </form>
    <div id="elig-out"></div>`.toString();
  el.querySelector('#elig-form').addEventListener('submit', (e) => { e.preventDefault(); ctx.setParams(formData(e.target)); });
  if (p.get('card')) {
    const out = el.querySelector('#elig-out');
    try {
      const r = await get('/eligibility', { card: p.get('card'), date: p.get('date'), facility });
      out.innerHTML = result(r).toString();
    } catch (err) {
      out.innerHTML = errorBox(err).toString();
    }
  }
}
