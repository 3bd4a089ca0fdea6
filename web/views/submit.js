// views/submit.js — POST /claims: a facility sends a claim file from the browser.
// The file goes as the raw body: the national XML (GIAMDINHHS envelope) as
// application/xml, FHIR R4 JSON (Claim or Bundle of Claims) as application/fhir+json.
// XML answers {"claims": [...], "malformed": [...]}; FHIR a Bundle of ClaimResponse.
import { postRaw } from '../api.js';
import { t } from '../i18n.js';
import { html, table, fmtInt, fmtNum, badge, claimHref } from '../util.js';

const TYPES = { xml: 'application/xml', fhir: 'application/fhir+json' };

function fmtSize(bytes) {
  if (bytes < 1024) return fmtInt(bytes) + ' B';
  if (bytes < 1024 * 1024) return fmtNum(bytes / 1024, 1) + ' KB';
  return fmtNum(bytes / (1024 * 1024), 1) + ' MB';
}

/* "xml" or "fhir": the choice, else the first character of the file, else its name. */
async function detect(file, choice) {
  if (TYPES[choice]) return choice;
  const head = (await file.slice(0, 256).text()).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<')) return 'xml';
  if (head.startsWith('{') || head.startsWith('[')) return 'fhir';
  return /\.json$/i.test(file.name) ? 'fhir' : 'xml';
}

function flagList(flags) {
  if (!flags || !flags.length) return '';
  return html`<ul class="flaglist">${flags.map((f) => html`<li><span class="tag sev-${f.severity}">${f.rule}</span>
    ${f.stt !== null && f.stt !== undefined ? html`<span class="muted small">${typeof f.table === 'number' ? 'XML' + f.table : f.table}/${f.stt}</span> ` : ''}${f.amount ? html`<span class="num">${fmtInt(f.amount)}</span> ` : ''}<span class="msg">${f.message || ''}</span></li>`)}</ul>`;
}

function xmlResult(name, r) {
  const claims = r.claims || [];
  const mal = r.malformed || [];
  const decided = claims.filter((c) => c.status === 'decided').length;
  const sum = (k) => claims.reduce((a, c) => a + (Number(c[k]) || 0), 0);
  const cols = [
    { label: t('f.claim_id'), render: (c) => html`<a href="${claimHref(c.claim_id)}" class="claimlink" data-claim="${c.claim_id}">${c.claim_id}</a>` },
    { label: t('f.status'), render: (c) => badge('substatus', c.status) },
    { label: t('f.revision'), num: true, key: 'revision' },
    { label: t('f.outcome'), render: (c) => badge('outcome', c.outcome) },
    { label: t('f.workflow'), render: (c) => badge('workflow', c.workflow) },
    { label: t('f.claimed'), num: true, render: (c) => fmtInt(c.claimed) },
    { label: t('f.fund_pays'), num: true, render: (c) => fmtInt(c.fund_pays) },
    { label: t('f.rejected'), num: true, render: (c) => (c.rejected_amount ? html`<b class="neg">${fmtInt(c.rejected_amount)}</b>` : fmtInt(0)) },
    { label: t('f.flags'), cls: 'flags', render: (c) => flagList(c.flags) },
  ];
  return html`<section class="card" data-testid="submit-result" data-format="xml">
    <h2>${t('submit.result', { name })}</h2>
    <div class="subbar"><span data-testid="submit-summary">${t('submit.summary', { n: fmtInt(claims.length), decided: fmtInt(decided), unchanged: fmtInt(claims.length - decided) })}</span>
      <span>${t('f.claimed')}: <b>${fmtInt(sum('claimed'))}</b></span>
      <span>${t('f.fund_pays')}: <b>${fmtInt(sum('fund_pays'))}</b></span>
      <span>${t('f.rejected')}: <b class="${sum('rejected_amount') ? 'neg' : ''}">${fmtInt(sum('rejected_amount'))}</b></span></div>
    ${mal.length ? html`<div class="alert error" role="alert" data-testid="submit-malformed"><b>${t('submit.malformed', { n: fmtInt(mal.length) })}</b>
      <ul>${mal.map((m) => html`<li class="mono">${m.message}</li>`)}</ul></div>` : ''}
    ${table(cols, claims, { testid: 'submit-table', rowAttrs: (c) => `class="${c.rejected_amount ? 'rejected' : ''}"` })}
  </section>`;
}

function fhirTotal(res, code) {
  const x = (res.total || []).find((tt) => (tt.category?.coding || []).some((c) => c.code === code));
  return x && x.amount ? x.amount.value : null;
}

function fhirResult(name, r) {
  const list = r.resourceType === 'ClaimResponse' ? [r] : (r.entry || []).map((e) => e.resource).filter(Boolean);
  const reqId = (res) => res.request?.identifier?.value || res.request?.reference || '';
  const cols = [
    { label: t('f.request'), render: (res) => { const id = reqId(res); return id.includes(':') ? html`<a href="${claimHref(id)}" class="claimlink" data-claim="${id}">${id}</a>` : id; } },
    { label: t('f.outcome'), render: (res) => badge('fhiroutcome', res.outcome) },
    { label: t('f.disposition'), key: 'disposition' },
    { label: t('f.claimed'), num: true, render: (res) => fmtInt(fhirTotal(res, 'submitted')) },
    { label: t('f.allowed'), num: true, render: (res) => fmtInt(fhirTotal(res, 'eligible')) },
    { label: t('f.fund_pays'), num: true, render: (res) => fmtInt(fhirTotal(res, 'benefit') ?? res.payment?.amount?.value) },
    { label: t('f.patient_pays'), num: true, render: (res) => fmtInt(fhirTotal(res, 'copay')) },
    { label: t('f.process_notes'), cls: 'flags', render: (res) => ((res.processNote || []).length ? html`<ul class="flaglist">${res.processNote.map((n) => html`<li class="msg">${n.text}</li>`)}</ul>` : '') },
  ];
  return html`<section class="card" data-testid="submit-result" data-format="fhir">
    <h2>${t('submit.result', { name })}</h2>
    <div class="subbar"><span data-testid="submit-summary">${t('submit.fhir_summary', { n: fmtInt(list.length) })}</span></div>
    ${table(cols, list, { testid: 'submit-table' })}
  </section>`;
}

function failure(e) {
  let title, detail = e.message;
  if (e.status === 413) title = t('submit.too_large');
  else if (!e.status) { title = t('submit.network'); }
  else title = t('submit.refused', { status: e.status });
  return html`<div class="alert error" role="alert" data-testid="submit-error" data-status="${e.status || 0}">
    <b>${title}</b>${detail ? html`<div class="mono errdetail">${detail}</div>` : ''}</div>`;
}

export async function render(el, ctx) {
  const u = ctx.user;
  el.innerHTML = html`
    <div class="titlebar"><h1>${t('submit.title')}</h1></div>
    <section class="card">
      <p class="muted help">${t('submit.help')}${u.role === 'facility' && u.facility ? ' ' + t('submit.own_facility', { facility: u.facility }) : ''}</p>
      <form id="submit-form" class="panel-form" data-testid="submit-form">
        <label class="grow">${t('submit.file')}<input type="file" name="file" id="submit-file" required accept=".xml,.json,application/xml,text/xml,application/json,application/fhir+json"></label>
        <label>${t('submit.format')}<select name="format" id="submit-format">${['auto', 'xml', 'fhir'].map((f) => html`<option value="${f}">${t('submit.format.' + f)}</option>`)}</select></label>
        <button class="btn primary" type="submit" id="submit-send">${t('submit.send')}</button>
      </form>
    </section>
    <div id="submit-out" aria-live="polite"></div>`.toString();
  const form = el.querySelector('#submit-form');
  const out = el.querySelector('#submit-out');
  const btn = form.querySelector('#submit-send');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = form.querySelector('#submit-file').files[0];
    if (!file) { out.innerHTML = html`<div class="alert error" role="alert">${t('submit.need_file')}</div>`.toString(); return; }
    btn.disabled = true;
    out.innerHTML = html`<div class="card progress" data-testid="submit-progress"><progress></progress>
      <span>${t('submit.verifying', { name: file.name, size: fmtSize(file.size) })}</span></div>`.toString();
    try {
      const format = await detect(file, form.querySelector('#submit-format').value);
      const r = await postRaw('/claims', file, TYPES[format]);
      if (!el.isConnected) return;
      out.innerHTML = (r && r.resourceType ? fhirResult(file.name, r) : xmlResult(file.name, r || {})).toString();
    } catch (err) {
      if (err.status === 401 || !el.isConnected) return;
      out.innerHTML = failure(err).toString();
    } finally {
      btn.disabled = false;
    }
  });
}
