// views/claim.js — GET /claims/{facility}/{key}: the claim, its decision lines and
// flags, AI risk, review actions, revisions, reviews, appeals and audit entries.
import { get, post, claimPath, ApiError } from '../api.js';
import { t, tv } from '../i18n.js';
import { html, raw, esc, table, fmtInt, fmtVnd, fmtDate, fmtTime, fmtNum, fmtRisk, badge, riskCell, errorBox, formData } from '../util.js';

let flash = null;   // {kind, text} shown once after an action

function tableNo(tb) {
  if (tb === null || tb === undefined) return null;
  if (typeof tb === 'number') return tb;
  const m = /(\d+)/.exec(String(tb));
  return m ? parseInt(m[1], 10) : null;
}
function lineKey(tb, stt) { return tableNo(tb) + ':' + stt; }

function reasonText(r) {
  if (r === null || r === undefined) return '';
  if (typeof r === 'string') return r;
  const s = r.text || r.sentence || r.reason || r.message || r.label || '';
  if (s) return s;
  if (r.feature) return r.feature + (r.contribution !== undefined ? ' (' + fmtNum(r.contribution, 3) + ')' : '');
  return JSON.stringify(r);
}

function reasonLabel(reasons, code) {
  const r = (reasons || []).find((x) => x.code === code);
  if (!r) return code || '';
  return code + ' – ' + (document.documentElement.lang === 'en' ? r.label_en : r.label_vi);
}

function kv(pairs) {
  return html`<dl class="kv">${pairs.filter(Boolean).map(([k, v, cls]) => html`<dt>${k}</dt><dd class="${cls || ''}">${v}</dd>`)}</dl>`;
}

function linesTable(lines, flagsByLine, tableName, opts) {
  const rows = lines.filter((l) => tableNo(l.table) === tableName);
  if (!rows.length) return '';
  const cols = [
    { label: t('f.stt'), num: true, key: 'stt' },
    { label: t('f.claimed'), num: true, render: (l) => fmtInt(l.claimed) },
    { label: t('f.uncovered'), num: true, render: (l) => fmtInt(l.uncovered) },
    { label: t('f.other_sources'), num: true, render: (l) => fmtInt(l.other_sources) },
    { label: t('f.allowed'), num: true, render: (l) => fmtInt(l.allowed) },
    { label: t('f.fund_pays'), num: true, render: (l) => fmtInt(l.fund_pays) },
    { label: t('f.patient_pays'), num: true, render: (l) => fmtInt(l.patient_pays) },
    { label: t('f.rejected'), num: true, render: (l) => (l.rejected_amount ? html`<b class="neg">${fmtInt(l.rejected_amount)}</b>` : fmtInt(l.rejected_amount)) },
    { label: t('f.flags'), cls: 'flags', render: (l) => flagList(flagsByLine.get(lineKey(l.table, l.stt)) || []) },
  ];
  if (opts.canReview && !opts.appealOpen) {
    cols.push({ label: '', render: (l) => html`<button type="button" class="btn small danger" data-reject-line="${lineKey(l.table, l.stt)}">${t('claim.reject_line_btn')}</button>` });
  }
  const title = tableName === 2 ? t('claim.xml2') : tableName === 3 ? t('claim.xml3') : 'XML' + tableName;
  return html`<h3>${title}</h3>${table(cols, rows, {
    testid: 'lines-xml' + tableName,
    rowAttrs: (l) => `data-line="${esc(lineKey(l.table, l.stt))}" class="${l.rejected_amount ? 'rejected' : ''}"`,
  })}`;
}

function flagList(flags) {
  if (!flags.length) return '';
  return html`<ul class="flaglist">${flags.map((f) => html`<li><span class="tag sev-${f.severity}">${f.rule}</span>
    ${badge('severity', f.severity)} <span class="num">${f.amount ? fmtInt(f.amount) : ''}</span> <span class="msg">${f.message || ''}</span></li>`)}</ul>`;
}

function decisionLines(dec, opts) {
  const flags = dec.flags || [];
  const byLine = new Map();
  const claimFlags = [];
  for (const f of flags) {
    if (f.table === null || f.table === undefined || f.stt === null || f.stt === undefined) { claimFlags.push(f); continue; }
    const k = lineKey(f.table, f.stt);
    if (!byLine.has(k)) byLine.set(k, []);
    byLine.get(k).push(f);
  }
  const lines = dec.lines || [];
  const tables = [...new Set(lines.map((l) => tableNo(l.table)))].sort();
  return html`
    ${claimFlags.length ? html`<h3>${t('claim.claim_flags')}</h3>${table([
      { label: t('f.rule'), render: (f) => html`<span class="tag">${f.rule}</span>` },
      { label: t('f.severity'), render: (f) => badge('severity', f.severity) },
      { label: t('f.amount'), num: true, render: (f) => fmtInt(f.amount) },
      { label: t('f.message'), key: 'message' },
    ], claimFlags, { testid: 'claim-flags' })}` : ''}
    ${tables.map((tb) => linesTable(lines, byLine, tb, opts))}`;
}

function amounts(src) {
  return kv([
    [t('f.claimed'), fmtVnd(src.claimed), 'num'],
    src.uncovered !== undefined && [t('f.uncovered'), fmtVnd(src.uncovered), 'num'],
    src.other_sources !== undefined && [t('f.other_sources'), fmtVnd(src.other_sources), 'num'],
    [t('f.allowed'), fmtVnd(src.allowed), 'num'],
    [t('f.rejected'), html`<span data-testid="amount-rejected">${fmtVnd(src.rejected_amount)}</span>`, 'num neg'],
    [t('f.fund_pays'), html`<span data-testid="amount-fund">${fmtVnd(src.fund_pays)}</span>`, 'num strong'],
    [t('f.patient_pays'), fmtVnd(src.patient_pays), 'num'],
  ]);
}

function drgBlock(dec, claim) {
  const d = dec && dec.drg;
  if (!d && !claim.drg) return html`<span class="muted">${t('claim.drg_none')}</span>`;
  if (!d || typeof d !== 'object') return html`<span class="mono">${claim.drg || d}</span>`;
  return kv([
    [t('f.drg'), html`<b class="mono">${d.code}</b> ${d.name || ''}`],
    d.mdc && ['MDC', d.mdc],
    [t('f.weight'), fmtNum((d.adj_weight_e4 ?? d.weight_e4) / 1e4, 4), 'num'],
    d.los !== undefined && [t('f.los'), fmtInt(d.los), 'num'],
    [t('f.payment'), fmtVnd(d.payment), 'num'],
  ]);
}

function riskBlock(risk, claim) {
  const score = risk ? risk.score : claim.risk_score;
  if (score === null || score === undefined) return html`<p class="muted" data-testid="risk">${t('claim.risk_none')}</p>`;
  const flagged = risk ? risk.flagged : claim.risk_flagged;
  const reasons = (risk && risk.reasons) || [];
  return html`<div data-testid="risk"><div class="riskbig ${flagged ? 'hi' : ''}">${riskCell(score, flagged)}
      <span class="badge ${flagged ? 'review_status-to_review' : ''}">${flagged ? t('claim.risk_flagged') : t('claim.risk_ok')}</span></div>
    ${risk && risk.model ? html`<div class="muted small">${t('f.model')}: ${risk.model}</div>` : ''}
    ${reasons.length ? html`<h4>${t('claim.reasons')}</h4><ol class="reasons">${reasons.map((r) => html`<li>${reasonText(r)}</li>`)}</ol>` : ''}</div>`;
}

function reviewForm(dec, reasons) {
  const lines = dec.lines || [];
  return html`<form id="review-form" class="panel-form" data-testid="review-form">
    <label>${t('f.action')}<select name="action" id="review-action">${['accept', 'reject_line', 'reject_claim', 'request_documents'].map((a) => html`<option value="${a}">${tv('action', a)}</option>`)}</select></label>
    <label class="only-line" hidden>${t('f.line')}<select name="line" id="review-line"><option value="">${t('claim.choose_line')}</option>${lines.map((l) => html`<option value="${lineKey(l.table, l.stt)}">XML${tableNo(l.table)} #${l.stt} – ${fmtInt(l.claimed)}</option>`)}</select></label>
    <label class="only-reason" hidden>${t('f.reason')}<select name="reason" id="review-reason"></select></label>
    <label class="grow">${t('f.note')}<input name="note" id="review-note" maxlength="1000"></label>
    <button class="btn primary" type="submit" id="review-submit">${t('common.submit')}</button>
    <div class="form-msg" role="status"></div>
  </form>`;
}

function appealForm(dec) {
  const lines = (dec.lines || []).filter((l) => l.rejected_amount > 0);
  return html`<form id="appeal-form" class="panel-form col" data-testid="appeal-form">
    <label class="grow">${t('f.statement')}<textarea name="statement" id="appeal-statement" rows="3" required></textarea></label>
    ${lines.length ? html`<fieldset><legend>${t('claim.appeal_lines')}</legend>${lines.map((l) => html`<label class="check"><input type="checkbox" name="line" value="${lineKey(l.table, l.stt)}"> XML${tableNo(l.table)} #${l.stt} (${fmtInt(l.rejected_amount)})</label>`)}</fieldset>` : ''}
    <div><button class="btn primary" type="submit">${t('common.submit')}</button></div>
    <div class="form-msg" role="status"></div></form>`;
}

function decideForm(a, dec) {
  // the lines a partial decision may restore: those contested, else every line with a rejected amount
  let lines = a.lines || [];
  if (!lines.length) lines = (dec.lines || []).filter((l) => l.rejected_amount > 0).map((l) => ({ table: tableNo(l.table), stt: l.stt }));
  const statuses = lines.length ? ['upheld', 'overturned', 'partial'] : ['upheld', 'overturned'];
  return html`<form class="panel-form decide-form" data-appeal="${a.id}" data-testid="decide-form">
    <strong>${t('claim.decide_appeal', { id: a.id })}</strong>
    <label>${t('f.status')}<select name="status">${statuses.map((s) => html`<option value="${s}">${tv('appeal', s)}</option>`)}</select></label>
    <label class="grow">${t('f.response')}<input name="response" required></label>
    ${lines.length ? html`<fieldset><legend>${t('claim.restore_lines')}</legend>${lines.map((l) => html`<label class="check"><input type="checkbox" name="line" value="${l.table}:${l.stt}"> XML${l.table} #${l.stt}</label>`)}</fieldset>` : ''}
    <button class="btn primary" type="submit">${t('common.submit')}</button>
    <div class="form-msg" role="status"></div></form>`;
}

function auditTable(entries) {
  return table([
    { label: t('f.at'), render: (e) => fmtTime(e.at) },
    { label: t('f.user'), key: 'login' },
    { label: t('f.role'), render: (e) => t('role.' + e.role) },
    { label: t('f.action'), render: (e) => html`<span class="mono">${e.action}</span>` },
    { label: t('f.before') + ' / ' + t('f.after'), render: (e) => html`<details><summary>JSON</summary><pre>${pretty(e.before)}</pre><pre>${pretty(e.after)}</pre></details>` },
  ], entries, { testid: 'audit-table' });
}
function pretty(v) {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string') { try { v = JSON.parse(v); } catch (_) { return v; } }
  return JSON.stringify(v, null, 1);
}

export async function render(el, ctx) {
  const facility = ctx.segs[1], key = ctx.segs[2];
  const path = claimPath(facility, key);
  let d;
  try {
    d = await get(path);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) {
      el.innerHTML = html`<h1>${t('notfound.title')}</h1><p class="alert" data-testid="not-found">${t('notfound.claim')}</p>`.toString();
      return;
    }
    throw e;
  }
  const role = ctx.user.role;
  const canReview = role === 'reviewer';
  const staff = role !== 'facility';
  const reasons = canReview ? await ctx.reasons().catch(() => []) : await ctx.reasons().catch(() => []);
  let audit = null;
  if (staff) audit = await get('/audit-log', { object: 'claim:' + facility + ':' + key, limit: 100 }).catch((e) => ({ error: e }));
  const c = d.claim || {};
  const dec = d.decision || {};
  const appeals = d.appeals || [];
  const openAppeal = appeals.find((a) => a.status === 'open');
  const f = flash; flash = null;

  el.innerHTML = html`
    <div class="titlebar"><a href="#" data-back class="back">${t('common.back')}</a>
      <h1 data-testid="claim-title">${t('claim.title', { id: c.claim_id || facility + ':' + key })}</h1>
      ${badge('outcome', c.outcome)} ${badge('workflow', c.workflow)} ${badge('review_status', c.review_status)}
      <span class="count">${t('f.revision')} <b data-testid="revision">${c.revision}</b></span></div>
    ${f ? html`<div class="alert ${f.kind}" data-testid="flash" role="status">${f.text}</div>` : ''}
    <div class="cards3">
      <section class="card"><h2>${t('claim.header')}</h2>${kv([
        [t('f.facility'), html`<a href="#/providers/${encodeURIComponent(c.facility)}">${c.facility}</a> ${c.facility_name || ''}`],
        [t('f.province'), c.province],
        [t('f.card'), html`<span class="mono">${c.card}</span>`],
        [t('f.person'), html`<span class="mono">${c.person_id}</span>`],
        [t('f.admitted'), fmtTime(c.admitted_at)],
        [t('f.discharged'), fmtTime(c.discharged_at)],
        [t('f.visit_class'), tv('visit', c.visit_class)],
        [t('f.decided_at'), fmtTime(c.decided_at || dec.decided_at)],
      ])}</section>
      <section class="card"><h2>${t('claim.amounts')}</h2>${amounts(dec.claimed !== undefined ? dec : c)}<h3>${t('f.drg')}</h3>${drgBlock(dec, c)}</section>
      <section class="card"><h2>${t('claim.risk')}</h2>${riskBlock(d.risk, c)}</section>
    </div>
    ${canReview && !openAppeal ? html`<section class="card"><h2>${t('claim.review')}</h2>${reviewForm(dec, reasons)}</section>` : ''}
    <section class="card" data-testid="lines">${decisionLines(dec, { canReview, appealOpen: !!openAppeal })}</section>
    <div class="cards2">
      <section class="card"><h2>${t('claim.revisions')}</h2>${table([
        { label: t('f.revision'), num: true, render: (r) => r.revision === c.revision ? html`<b>${r.revision}</b>` : r.revision },
        { label: t('f.decided_at'), render: (r) => fmtTime(r.decided_at) },
        { label: t('f.outcome'), render: (r) => badge('outcome', r.outcome) },
        { label: t('f.workflow'), render: (r) => badge('workflow', r.workflow) },
        { label: t('f.fund_pays'), num: true, render: (r) => fmtInt(r.fund_pays) },
        { label: t('f.rejected'), num: true, render: (r) => fmtInt(r.rejected_amount) },
        { label: '', render: (r) => html`<button type="button" class="btn small" data-revision="${r.revision}">${t('common.view')}</button>` },
      ], d.revisions || [], { testid: 'revisions' })}<div id="revision-view"></div></section>
      <section class="card"><h2>${t('claim.reviews')}</h2>${table([
        { label: t('f.at'), render: (r) => fmtTime(r.at) },
        { label: t('f.user'), key: 'user' },
        { label: t('f.action'), render: (r) => tv('action', r.action) },
        { label: t('f.line'), render: (r) => (r.line_table ? 'XML' + r.line_table + ' #' + r.line_stt : '') },
        { label: t('f.reason'), render: (r) => reasonLabel(reasons, r.reason) },
        { label: t('f.note'), key: 'note' },
        { label: t('f.revision'), render: (r) => r.revision_before + (r.revision_after ? ' → ' + r.revision_after : '') },
      ], d.reviews || [], { testid: 'reviews' })}</section>
    </div>
    <section class="card"><h2>${t('claim.appeals')}</h2>${table([
      { label: '#', num: true, key: 'id' },
      { label: t('f.round'), num: true, key: 'round' },
      { label: t('f.revision'), num: true, key: 'revision' },
      { label: t('f.statement'), key: 'statement' },
      { label: t('f.line'), render: (a) => (a.lines || []).map((l) => 'XML' + l.table + ' #' + l.stt).join(', ') },
      { label: t('f.status'), render: (a) => badge('appeal', a.status) },
      { label: t('f.response'), key: 'response' },
      { label: t('f.opened_by'), render: (a) => html`${a.opened_by} <span class="muted small">${fmtTime(a.opened_at)}</span>` },
      { label: t('f.decided_by'), render: (a) => html`${a.decided_by || ''} <span class="muted small">${fmtTime(a.decided_at)}</span>` },
    ], appeals, { testid: 'appeals' })}
      ${role === 'facility' && !openAppeal ? html`<h3>${t('claim.appeal_form')}</h3>${appealForm(dec)}` : ''}
      ${canReview && openAppeal ? decideForm(openAppeal, dec) : ''}
    </section>
    ${staff ? html`<section class="card"><h2>${t('claim.audit')}</h2>${audit && audit.error ? errorBox(audit.error)
      : html`${audit && typeof audit.chain_ok === 'boolean' ? html`<div class="${audit.chain_ok ? 'muted small' : 'alert error'}">${audit.chain_ok ? t('claim.audit_chain_ok') : t('claim.audit_chain_bad')}</div>` : ''}${auditTable((audit && audit.entries) || [])}`}</section>` : ''}`.toString();

  const rerender = (kind, text) => { flash = { kind, text }; ctx.refresh(); };

  // revision viewer
  el.querySelectorAll('[data-revision]').forEach((b) => b.addEventListener('click', async () => {
    const box = el.querySelector('#revision-view');
    box.innerHTML = html`<p class="muted">${t('common.loading')}</p>`.toString();
    try {
      const r = await get(path + '/revisions/' + encodeURIComponent(b.dataset.revision));
      const rd = r.decision || r;
      box.innerHTML = html`<h3>${t('claim.revision_view', { n: rd.revision })}</h3>${amounts(rd)}${decisionLines(rd, { canReview: false })}`.toString();
    } catch (e) { box.innerHTML = errorBox(e).toString(); }
  }));

  // review form
  const form = el.querySelector('#review-form');
  if (form) {
    let kindShown = null;
    const sync = () => {
      const a = form.action.value;
      form.querySelector('.only-line').hidden = a !== 'reject_line';
      form.querySelector('.only-reason').hidden = a === 'accept';
      // reasons of the action's kind (data/review/reasons.csv: reject, documents, both)
      const kind = a === 'request_documents' ? 'documents' : 'reject';
      if (kind === kindShown) return;
      kindShown = kind;
      const sel = form.querySelector('#review-reason');
      const keep = sel.value;
      const list = reasons.filter((r) => !r.kind || r.kind === 'both' || r.kind === kind);
      sel.innerHTML = html`<option value="">${t('claim.choose_reason')}</option>${list.map((r) => html`<option value="${r.code}">${reasonLabel(reasons, r.code)}</option>`)}`.toString();
      if (list.some((r) => r.code === keep)) sel.value = keep;
    };
    form.querySelector('#review-action').addEventListener('change', sync);
    sync();
    el.querySelectorAll('[data-reject-line]').forEach((b) => b.addEventListener('click', () => {
      form.querySelector('#review-action').value = 'reject_line';
      form.querySelector('#review-line').value = b.dataset.rejectLine;
      sync();
      form.scrollIntoView({ block: 'nearest' });
      form.querySelector('#review-reason').focus();
    }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const v = formData(form);
      const msg = form.querySelector('.form-msg');
      const body = { action: v.action };
      if (v.action !== 'accept') {
        if (!v.reason) { msg.textContent = t('claim.need_reason'); msg.className = 'form-msg error'; return; }
        body.reason = v.reason;
      }
      if (v.action === 'reject_line') {
        if (!v.line) { msg.textContent = t('claim.need_line'); msg.className = 'form-msg error'; return; }
        const [tb, stt] = v.line.split(':');
        body.table = parseInt(tb, 10);
        body.stt = parseInt(stt, 10);
      }
      if (v.note) body.note = v.note;
      form.querySelector('#review-submit').disabled = true;
      try {
        const r = await post(path + '/review', body);
        rerender('ok', t('claim.new_revision', { n: r.revision ?? (r.claim && r.claim.revision) }));
      } catch (err) {
        msg.textContent = err.status === 403 ? t('forbidden') : err.message;
        msg.className = 'form-msg error';
        form.querySelector('#review-submit').disabled = false;
      }
    });
  }

  // appeal form (facility)
  const af = el.querySelector('#appeal-form');
  if (af) af.addEventListener('submit', async (e) => {
    e.preventDefault();
    const lines = [...af.querySelectorAll('input[name=line]:checked')].map((i) => {
      const [tb, stt] = i.value.split(':');
      return { table: parseInt(tb, 10), stt: parseInt(stt, 10) };
    });
    try {
      await post(path + '/appeals', { statement: af.statement.value.trim(), lines });
      rerender('ok', t('claim.appeal_sent'));
    } catch (err) {
      const m = af.querySelector('.form-msg'); m.textContent = err.message; m.className = 'form-msg error';
    }
  });

  // appeal decision (reviewer)
  el.querySelectorAll('.decide-form').forEach((df) => df.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { status: df.status.value, response: df.response.value.trim() };
    if (body.status === 'partial') {
      body.lines = [...df.querySelectorAll('input[name=line]:checked')].map((i) => {
        const [tb, stt] = i.value.split(':');
        return { table: parseInt(tb, 10), stt: parseInt(stt, 10) };
      });
    }
    try {
      const r = await post('/appeals/' + encodeURIComponent(df.dataset.appeal) + '/decision', body);
      rerender('ok', t('claim.appeal_decided') + (r.revision ? ' ' + t('claim.new_revision', { n: r.revision }) : ''));
    } catch (err) {
      const m = df.querySelector('.form-msg'); m.textContent = err.message; m.className = 'form-msg error';
    }
  }));
}

export { reasonText, fmtRisk };
