// The public price list: every model the hub can route that has a rate, grouped by provider, in credits (and US
// dollars at the base credit price) per million tokens, per image or per second of video. Needs no sign-in.
import { api, app, field, fmt, h, ready, render, showError, table } from './hub.js';
import { credits, usd } from './widgets/rate-format.js';

const root = app();
const search = h('input', { type: 'search', placeholder: 'Model or provider', autocomplete: 'off' });
const countEl = h('p', { class: 'muted', 'aria-live': 'polite' });
const listEl = h('div', {});
let models = [];
let baseCreditPrice = null;

/** A price in credits with its dollar figure beneath, or a dash when the model has none. */
function price(row, key) {
  const c = row.credits?.[key];
  if (c === undefined || c === null) return '–';
  return h('span', {}, credits(c), h('div', { class: 'muted', style: 'font-size:.78rem' }, usd(row.usd?.[key])));
}

function imagePrice(row) {
  const tiers = Object.entries(row.credits?.perImageBySizeAndQuality || {});
  if (tiers.length === 0) return price(row, 'perImage');
  return h('span', {}, tiers.map(([tier, c]) => h('div', {}, `${tier}: ${credits(c)}`)));
}

const columns = [
  { label: 'Model', value: m => h('span', {}, h('code', {}, `${m.provider}/${m.model}`),
    m.displayName ? h('div', { class: 'muted', style: 'font-size:.8rem' }, m.displayName) : null) },
  { label: 'Type', value: m => m.type },
  { label: 'Input / 1M tokens', numeric: true, value: m => price(m, 'inputPerMillionTokens') },
  { label: 'Output / 1M tokens', numeric: true, value: m => price(m, 'outputPerMillionTokens') },
  { label: 'Cached input / 1M', numeric: true, value: m => price(m, 'cacheReadPerMillionTokens') },
  { label: 'Per image', numeric: true, value: imagePrice },
  { label: 'Per video second', numeric: true, value: m => price(m, 'perVideoSecond') },
];

function matches(m, q) {
  return !q || [m.provider, m.providerDisplayName, m.model, m.displayName, m.type]
    .some(v => v && v.toLowerCase().includes(q));
}

function draw() {
  const q = search.value.trim().toLowerCase();
  const shown = models.filter(m => matches(m, q));
  const byProvider = new Map();
  for (const m of shown) {
    if (!byProvider.has(m.provider)) byProvider.set(m.provider, []);
    byProvider.get(m.provider).push(m);
  }
  const one = shown.length === 1;
  render(countEl, `${fmt.int(shown.length)} priced model${one ? '' : 's'}`
    + (q ? ` ${one ? 'matches' : 'match'} “${search.value.trim()}”` : '') + '.');
  render(listEl, shown.length === 0
    ? h('p', { class: 'muted' }, models.length === 0 ? 'No model has a published price yet.' : 'No model matches.')
    : [...byProvider.entries()].map(([provider, rows]) => {
      const titleId = `pricing-${provider}`;
      return h('section', { 'aria-labelledby': titleId, dataset: { provider } },
        h('h2', { id: titleId }, rows[0].providerDisplayName && rows[0].providerDisplayName !== provider
          ? `${rows[0].providerDisplayName} (${provider})` : provider),
        table(columns, rows, { caption: `Prices of ${provider}` }));
    }));
}

search.addEventListener('input', draw);
render(root,
  h('p', { class: 'muted pricing-intro' }, 'Calls are charged in credits. Prices in credits, with US dollars beneath.'),
  field('Search models', search), countEl, listEl);
try {
  const pricing = await api('/api/pricing');
  models = pricing.models || [];
  baseCreditPrice = pricing.baseCreditPrice;
  root.querySelector('.pricing-intro').textContent = `Calls are charged in credits; one credit costs `
    + `${usd(baseCreditPrice)}. Prices in credits, with US dollars beneath.`;
  draw();
} catch (e) {
  showError(listEl, e);
}
ready();
