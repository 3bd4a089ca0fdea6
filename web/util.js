// util.js — HTML building with escaping, number/date formatting, small widgets.
import { t, tv, locale } from './i18n.js';

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function esc(s) {
  return s === null || s === undefined ? '' : String(s).replace(/[&<>"']/g, (c) => ESC[c]);
}

/* Trusted HTML: not escaped again when interpolated into html``. */
class Raw { constructor(s) { this.s = s; } toString() { return this.s; } }
export function raw(s) { return new Raw(s); }

function part(v) {
  if (v instanceof Raw) return v.s;
  if (Array.isArray(v)) return v.map(part).join('');
  if (v === false || v === null || v === undefined) return '';
  return esc(v);
}

/* Tagged template: html`<td>${value}</td>` escapes values; nested html`` and arrays stay. */
export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += part(values[i]) + strings[i + 1];
  return new Raw(out);
}

export function fmtInt(n) {
  if (n === null || n === undefined || n === '') return '';
  const v = Number(n);
  if (!Number.isFinite(v)) return String(n);
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(v);
}
export function fmtNum(n, digits = 2) {
  if (n === null || n === undefined || n === '') return '';
  const v = Number(n);
  if (!Number.isFinite(v)) return String(n);
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
}
/* A VND amount with its unit, for headers ("1.234.567 ₫"). */
export function fmtVnd(n) {
  if (n === null || n === undefined) return '';
  return fmtInt(n) + ' ₫';
}
export function fmtPct(r, digits = 1) {
  if (r === null || r === undefined || r === '') return '';
  return new Intl.NumberFormat(locale(), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Number(r));
}
export function fmtRisk(s) {
  if (s === null || s === undefined) return '';
  return fmtNum(s, 3);
}
/* Dates come as YYYY-MM-DD or YYYY-MM-DDTHH:MM[...]: shown as they are (ISO), shortened. */
export function fmtDate(s) {
  if (!s) return '';
  return String(s).slice(0, 10);
}
export function fmtTime(s) {
  if (!s) return '';
  return String(s).replace('T', ' ').slice(0, 16);
}

export function badge(prefix, value) {
  if (value === null || value === undefined || value === '') return '';
  return html`<span class="badge ${prefix}-${value}">${tv(prefix, value)}</span>`;
}

export function riskCell(score, flagged) {
  if (score === null || score === undefined) return html`<span class="muted">–</span>`;
  const pct = Math.max(0, Math.min(1, Number(score))) * 100;
  const cls = flagged ? 'risk hi' : Number(score) >= 0.3 ? 'risk mid' : 'risk lo';
  return html`<span class="${cls}" title="${fmtRisk(score)}"><span class="riskbar"><span style="width:${pct.toFixed(0)}%"></span></span>${fmtRisk(score)}</span>`;
}

export function claimHref(claimId) {
  return '#/claims/' + String(claimId).split(':').map(encodeURIComponent).join('/');
}

/* A table from column definitions {key, label, num, render(row), sort}. */
export function table(cols, rows, opts = {}) {
  const sortKey = opts.sort, order = opts.order;
  const head = cols.map((c) => {
    const cls = (c.num ? 'num' : '') + (c.sort ? ' sortable' : '');
    let arrow = '';
    if (c.sort && c.sort === sortKey) arrow = order === 'asc' ? ' ▲' : ' ▼';
    return html`<th class="${cls}" ${c.sort ? raw(`data-sort="${esc(c.sort)}" tabindex="0"`) : ''}>${c.label}${arrow}</th>`;
  });
  const body = rows.length
    ? rows.map((r) => html`<tr ${opts.rowAttrs ? raw(opts.rowAttrs(r)) : ''}>${cols.map((c) => {
      const v = c.render ? c.render(r) : r[c.key];
      return html`<td class="${c.num ? 'num' : ''} ${c.cls || ''}">${v}</td>`;
    })}</tr>`)
    : html`<tr><td colspan="${cols.length}" class="empty">${t('common.none')}</td></tr>`;
  return html`<table class="grid ${opts.cls || ''}" ${opts.testid ? raw(`data-testid="${esc(opts.testid)}"`) : ''}><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function pager(total, offset, limit) {
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(total, offset + limit);
  return html`<div class="pager">
    <button type="button" class="btn small" data-page="prev" ${offset <= 0 ? 'disabled' : ''}>${t('common.prev')}</button>
    <span data-testid="page-info">${t('common.page', { from: fmtInt(from), to: fmtInt(to), total: fmtInt(total) })}</span>
    <button type="button" class="btn small" data-page="next" ${to >= total ? 'disabled' : ''}>${t('common.next')}</button>
  </div>`;
}

export function errorBox(e) {
  const msg = e && e.status === 403 ? t('forbidden') : (e && e.message) || String(e);
  return html`<div class="alert error" role="alert">${t('common.error')}${e && e.status ? ' ' + e.status : ''}: ${msg}</div>`;
}

export function formData(form) {
  const o = {};
  for (const [k, v] of new FormData(form).entries()) o[k] = typeof v === 'string' ? v.trim() : v;
  return o;
}
