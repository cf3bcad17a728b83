// Projects: the apps that call the hub, with their calls, credits and usage over the range, a trend per app, and
// an app's recent calls on a click. Two requests per range (the app list and the top apps' trends).
import { api, app, field, fmt, h, rangePicker, ready, render, showError, table } from './hub.js';
import { chartBox, rangeQuery, timeLabels } from './widgets/charts.js';
import { callHistory } from './widgets/call-history.js';

const MEASURES = { totalCalls: 'Calls', totalCredits: 'Credits', totalUsage: 'Usage (tokens, images, seconds)' };

const picker = rangePicker(load, 30);
const measure = h('select', { onchange: drawTrends },
  Object.entries(MEASURES).map(([k, label]) => h('option', { value: k }, label)));
const errorBox = h('div');
const chart = chartBox('Calls per app over time');
const list = h('div', { 'aria-live': 'polite' });
const history = callHistory({ everyone: true, title: 'Recent calls of the app' });
history.element.hidden = true;

render(app(), h('div', { class: 'toolbar' }, picker.element), errorBox,
  h('div', { class: 'row' }, h('h2', {}, 'Trend per app'), h('div', { class: 'shrink' }, field('Measure', measure))),
  chart.element, h('h2', {}, 'Apps'), list, history.element);

let trends = null;

async function drawTrends() {
  if (!trends) return;
  await chart.draw(timeLabels(trends.trends.map(p => p.timestamp), trends.granularity),
    trends.projects.map(p => ({
      label: p.appDid || '(no app)',
      data: trends.trends.map(t => Number(t.byProject[p.appDid]?.[measure.value] ?? 0)),
    })));
}

/** Usage per app summed from the trends (the app list itself has no usage); only the top apps have trends. */
function usageOf(appDid) {
  if (!trends || !trends.projects.some(p => p.appDid === appDid)) return null;
  return trends.trends.reduce((sum, t) => sum + (t.byProject[appDid]?.totalUsage || 0), 0);
}

async function load(range) {
  render(errorBox);
  const query = { ...rangeQuery(range), allUsers: 'true' };
  try {
    const [projects, groupTrends] = await Promise.all([
      api('/api/usage/projects', { query: { ...query, pageSize: 100 } }),
      api('/api/usage/projects/group-trends', { query: { ...query, limit: 8 } }),
    ]);
    trends = groupTrends;
    await drawTrends();
    render(list, table([
      { label: 'App', value: p => p.appDid
        ? h('button', { type: 'button', class: 'link', onclick: () => showCalls(p.appDid, range) }, p.appDid)
        : h('span', { class: 'muted' }, '(no app)') },
      { label: 'Calls', numeric: true, value: p => fmt.int(p.totalCalls) },
      { label: 'Credits', numeric: true, value: p => fmt.credits(p.totalCredits) },
      { label: 'Usage', numeric: true, value: p => fmt.int(usageOf(p.appDid)) },
      { label: 'Success', numeric: true, value: p => `${Number(p.successRate).toFixed(1)} %` },
      { label: 'Avg latency', numeric: true, value: p => fmt.ms(p.avgDuration * 1000) },
      { label: 'Last call', value: p => fmt.time(p.lastCallTime) },
    ], projects.projects, { empty: 'No app called the hub in this range.', caption: 'Apps' }),
    projects.total > projects.projects.length
      ? h('p', { class: 'muted' }, `Showing the ${projects.projects.length} busiest of ${projects.total} apps.`) : null);
  } catch (e) {
    showError(errorBox, e);
  }
}

function showCalls(appDid, range) {
  history.element.hidden = false;
  history.element.querySelector('h2').textContent = `Recent calls of ${appDid}`;
  history.load({ range, provider: '', model: '', userId: '', appDid, type: '', status: '' });
  history.element.scrollIntoView({ block: 'start' });
}

await load(picker.current());
ready();
