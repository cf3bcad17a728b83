// Overview: the whole hub's calls over a range at a glance. Two requests per render (the usage summary grouped by
// model and by provider); both carry the totals and the series, the first is used for them.
import { api, app, h, rangePicker, ready, render, showError } from './hub.js';
import { chartBox, rangeQuery, timeLabels } from './widgets/charts.js';
import { statCards, topTable } from './widgets/usage-stats.js';

const picker = rangePicker(load, 1);
const cards = h('div', { class: 'cards', 'aria-live': 'polite' });
const chart = chartBox('Calls and errors over time');
const errorBox = h('div');
const models = h('div');
const providers = h('div');

render(app(), h('div', { class: 'toolbar' }, picker.element), errorBox, cards,
  h('h2', {}, 'Calls over time'), chart.element,
  h('div', { class: 'two-columns' },
    h('section', {}, h('h2', {}, 'Top models'), models),
    h('section', {}, h('h2', {}, 'Top providers'), providers)));

async function load(range) {
  render(errorBox);
  const query = { ...rangeQuery(range), allUsers: 'true', limit: 5 };
  try {
    const [byModel, byProvider] = await Promise.all([
      api('/api/usage/summary', { query: { ...query, groupBy: 'model' } }),
      api('/api/usage/summary', { query: { ...query, groupBy: 'provider' } }),
    ]);
    render(cards, statCards(byModel.totals));
    await chart.draw(timeLabels(byModel.series.map(p => p.timestamp), byModel.interval), [
      { label: 'Calls', data: byModel.series.map(p => p.calls) },
      { label: 'Errors', data: byModel.series.map(p => p.failedCalls) },
    ]);
    render(models, topTable('Model', byModel));
    render(providers, topTable('Provider', byProvider));
  } catch (e) {
    showError(errorBox, e);
  }
}

await load(picker.current());
ready();
