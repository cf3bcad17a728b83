// Usage: every user's calls over time and broken down by model, provider, user, app or type, with filters that
// apply to the charts and the call history alike. One summary request per change, plus the history's page.
import { api, app, field, h, ready, render, showError } from './hub.js';
import { chartBox, timeLabels } from './widgets/charts.js';
import { statCards, topTable } from './widgets/usage-stats.js';
import { filterQuery, usageFilters } from './widgets/usage-filters.js';
import { callHistory } from './widgets/call-history.js';

const MEASURES = { calls: ['Calls', p => p.calls], tokens: ['Tokens', p => p.totalTokens],
  credits: ['Credits', p => Number(p.totalCredits)] };
const GROUPS = [['model', 'Model'], ['provider', 'Provider'], ['user', 'User'], ['app', 'App'], ['type', 'Type']];

const filters = usageFilters(reload, { everyone: true });
const measure = h('select', { onchange: drawSeries },
  Object.entries(MEASURES).map(([k, [label]]) => h('option', { value: k }, label)));
const groupBy = h('select', { onchange: () => loadSummary(filters.values()) },
  GROUPS.map(([k, label]) => h('option', { value: k }, label)));
const errorBox = h('div');
const cards = h('div', { class: 'cards', 'aria-live': 'polite' });
const series = chartBox('Usage over time');
const breakdown = chartBox('Usage by group');
const breakdownTable = h('div');
const history = callHistory({ everyone: true, title: 'Call history' });

render(app(), filters.element,
  h('p', { class: 'muted' }, 'Status filters the call history only: the charts count calls of every status.'),
  errorBox, cards,
  h('div', { class: 'row' }, h('h2', {}, 'Over time'), h('div', { class: 'shrink' }, field('Measure', measure))),
  series.element,
  h('div', { class: 'row' }, h('h2', {}, 'Breakdown'), h('div', { class: 'shrink' }, field('Group by', groupBy))),
  breakdown.element, breakdownTable, history.element);

let summary = null;

async function drawSeries() {
  if (!summary) return;
  const [label, value] = MEASURES[measure.value];
  await series.draw(timeLabels(summary.series.map(p => p.timestamp), summary.interval),
    [{ label, data: summary.series.map(value) }]);
}

async function loadSummary(values) {
  render(errorBox);
  try {
    summary = await api('/api/usage/summary', {
      query: { ...filterQuery(values, { everyone: true }), groupBy: groupBy.value, limit: 10 },
    });
    render(cards, statCards(summary.totals));
    await drawSeries();
    const label = GROUPS.find(([k]) => k === groupBy.value)[1];
    await breakdown.draw(summary.top.map(r => r.name || r.key || '(none)'), [
      { label: 'Calls', data: summary.top.map(r => r.calls) },
      { label: 'Credits', data: summary.top.map(r => Number(r.totalCredits)), axis: 'y2' },
    ], { kind: 'bar' });
    render(breakdownTable, topTable(label, summary));
  } catch (e) {
    showError(errorBox, e);
  }
}

function reload(values) {
  return Promise.all([loadSummary(values), history.load(values)]);
}

await reload(filters.values());
ready();
