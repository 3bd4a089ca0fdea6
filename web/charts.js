// charts.js — Chart.js (vendor/chart.umd.js, loaded by index.html as window.Chart)
// with the UI's defaults; every chart made here is destroyed when the view changes.
import { locale } from './i18n.js';

const live = [];
export const palette = ['#1f5fa8', '#d9822b', '#2e8b57', '#b03a48', '#7a5ea8', '#4a9bb5', '#a08a2e', '#5f6b7a', '#c76b98', '#3d7d3d'];

function ready() {
  const C = window.Chart;
  if (!C) return null;
  if (!C.__gd) {
    C.defaults.animation = false;
    C.defaults.font.family = getComputedStyle(document.body).fontFamily;
    C.defaults.font.size = 11;
    C.defaults.color = '#333';
    C.defaults.maintainAspectRatio = false;
    C.defaults.plugins.legend.labels.boxWidth = 12;
    C.__gd = true;
  }
  return C;
}

export function destroyCharts() {
  while (live.length) {
    try { live.pop().destroy(); } catch (_) { /* already gone */ }
  }
}

export function numTick(v) {
  return new Intl.NumberFormat(locale(), { notation: Math.abs(v) >= 1e6 ? 'compact' : 'standard', maximumFractionDigits: 1 }).format(v);
}

/* Makes a chart on the canvas; returns it (or null when Chart.js is missing). */
export function chart(canvas, config) {
  const C = ready();
  if (!C || !canvas) return null;
  const fmt = (v) => new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(v);
  config.options = config.options || {};
  const o = config.options;
  o.responsive = true;
  o.plugins = o.plugins || {};
  o.plugins.tooltip = o.plugins.tooltip || {
    callbacks: {
      label: (ctx) => {
        const v = ctx.parsed && typeof ctx.parsed === 'object' ? (o.indexAxis === 'y' ? ctx.parsed.x : ctx.parsed.y) : ctx.parsed;
        return (ctx.dataset.label ? ctx.dataset.label + ': ' : (ctx.label ? ctx.label + ': ' : '')) + fmt(v);
      },
    },
  };
  if (config.type !== 'doughnut' && config.type !== 'pie') {
    o.scales = o.scales || {};
    const valueAxis = o.indexAxis === 'y' ? 'x' : 'y';
    o.scales[valueAxis] = Object.assign({ beginAtZero: true, ticks: { callback: numTick } }, o.scales[valueAxis] || {});
  }
  const c = new C(canvas, config);
  canvas.dataset.chart = 'ready';
  live.push(c);
  return c;
}
