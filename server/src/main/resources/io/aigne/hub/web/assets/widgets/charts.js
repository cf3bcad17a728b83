// Chart.js charts for the analytics pages: one fixed-size box per chart (no layout shift while data loads), the
// hub's palette, time labels that match the series' granularity, and redraws that replace the old chart.
import { h, palette, library } from '../hub.js';

/**
 * A chart box with a labelled canvas. `await box.draw(labels, datasets, options)` (re)draws it; datasets are
 * {label, data, type?, axis?: 'y2'}. A text summary for screen readers is kept beside the canvas.
 */
export function chartBox(title) {
  // Start running Chart.js now: the page's data requests are sent in the same task, before the script runs.
  library('Chart').catch(() => {});
  const canvas = h('canvas', { role: 'img', 'aria-label': title });
  const summary = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const element = h('div', { class: 'chart-box' }, canvas, summary);
  let chart = null;
  return {
    element,
    canvas,
    async draw(labels, datasets, { stacked = false, kind = 'line' } = {}) {
      const Chart = await library('Chart');
      if (chart) chart.destroy();
      const twoAxes = datasets.some(d => d.axis === 'y2');
      chart = new Chart(canvas, {
        type: kind,
        data: {
          labels,
          datasets: datasets.map((d, i) => ({
            label: d.label, data: d.data, type: d.type, yAxisID: d.axis || 'y',
            borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length] + (kind === 'bar' || d.type === 'bar' ? 'cc' : '33'),
            fill: false, cubicInterpolationMode: 'monotone', pointRadius: labels.length > 60 ? 0 : 2, borderWidth: 2,
          })),
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          interaction: { mode: 'index', intersect: false },
          plugins: { legend: { position: 'bottom' } },
          scales: {
            x: { stacked, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
            y: { stacked, beginAtZero: true },
            ...(twoAxes ? { y2: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } } } : {}),
          },
        },
      });
      summary.textContent = `${title}: ${datasets.map(d => `${d.label} total ${sum(d.data)}`).join(', ')}.`;
      return chart;
    },
  };
}

function sum(values) {
  return Math.round(values.reduce((a, b) => a + (Number(b) || 0), 0) * 10000) / 10000;
}

/** Labels for series timestamps (unix seconds): hours as "14:00" (with the day when the range spans days). */
export function timeLabels(timestamps, granularity) {
  return timestamps.map(t => {
    const d = new Date(t * 1000);
    return granularity === 'hour'
      ? d.toLocaleString(undefined, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' })
      : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  });
}

/** What the usage APIs take for a range from rangeOf(): unix seconds and the browser's time zone for day buckets. */
export function rangeQuery(range) {
  return { startTime: range.start, endTime: range.end, timezoneOffset: new Date().getTimezoneOffset() };
}
