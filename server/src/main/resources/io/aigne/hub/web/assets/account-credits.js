// My credits: the signed-in user's balance (and what calls in flight hold), daily spending and the days it lasts,
// grants with their expiry, transactions, where to buy more, and the history of the user's own calls.
import { api, app, fmt, h, ready, render, showError, table } from './hub.js';
import { chartBox, timeLabels } from './widgets/charts.js';
import { usageFilters } from './widgets/usage-filters.js';
import { callHistory } from './widgets/call-history.js';

const TX_PAGE = 20;
const cards = h('div', { class: 'cards', 'aria-live': 'polite' });
const buy = h('div', { class: 'actions' });
const summaryError = h('div');
const chart = chartBox('Credits spent per day, last 30 days');
const grants = h('div');
const transactions = h('div');
const txPrevious = h('button', { type: 'button', class: 'secondary', onclick: () => loadTransactions(txPage - 1) },
  'Previous');
const txNext = h('button', { type: 'button', class: 'secondary', onclick: () => loadTransactions(txPage + 1) }, 'Next');
const txLabel = h('span', { class: 'muted', 'aria-live': 'polite' });
const filters = usageFilters(values => history.load(values), { everyone: false, days: 30 });
const history = callHistory({ everyone: false, title: 'My calls', controls: filters.element });

render(app(), summaryError, cards, buy,
  h('h2', {}, 'Daily spending'), chart.element,
  h('h2', {}, 'Grants'), grants,
  h('h2', {}, 'Transactions'), transactions,
  h('nav', { class: 'pager', 'aria-label': 'Transaction pages' }, txPrevious, txLabel, txNext),
  history.element);

let txPage = 1;

function stat(label, value, hint) {
  return h('div', { class: 'stat' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value),
    hint ? h('div', { class: 'muted', style: 'font-size:.8rem' }, hint) : null);
}

async function loadSummary() {
  try {
    const [quota, trends, purchase] = await Promise.all([
      api('/api/usage/quota'),
      api('/api/usage/trends', { query: { timeRange: 30, granularity: 'day',
        timezoneOffset: new Date().getTimezoneOffset() } }),
      api('/api/user/credit/purchase'),
    ]);
    const days = quota.estimatedDaysRemaining;
    render(cards,
      stat('Balance', fmt.credits(quota.remaining), 'What new calls can use.'),
      stat('Held by calls in flight', fmt.credits(quota.pendingCredit)),
      stat('Average daily spend (30 days)', fmt.credits(quota.dailyAvgCredits)),
      stat('Estimated days left', days === null || days === undefined ? '—' : fmt.int(days),
        days === null || days === undefined ? 'No spending in the last 30 days.' : 'At the average daily spend.'));
    render(buy, purchase.available
      ? h('a', { class: 'button', href: purchase.link, rel: 'noopener' }, 'Buy credits') : null);
    await chart.draw(timeLabels(trends.trends.map(p => p.timestamp), trends.granularity),
      [{ label: 'Credits spent', data: trends.trends.map(p => Number(p.totalCredits)) }], { kind: 'bar' });
  } catch (e) {
    showError(summaryError, e);
  }
}

async function loadGrants() {
  try {
    const answer = await api('/api/user/credit/grants', { query: { pageSize: 50 } });
    render(grants, table([
      { label: 'Granted', value: g => fmt.time(g.createdAt) },
      { label: 'Kind', value: g => g.kind },
      { label: 'Amount', numeric: true, value: g => fmt.credits(g.amount) },
      { label: 'Remaining', numeric: true, value: g => fmt.credits(g.remaining) },
      { label: 'Expires', value: g => expiry(g.expiresAt) },
      { label: 'Note', value: g => g.description || '' },
    ], answer.list, { empty: 'No credit has been granted to you yet.', caption: 'Grants' }),
    answer.count > answer.list.length
      ? h('p', { class: 'muted' }, `The newest ${answer.list.length} of ${answer.count} grants.`) : null);
  } catch (e) {
    showError(grants, e);
  }
}

function expiry(at) {
  if (!at) return 'Never';
  return at < Date.now() ? h('span', { class: 'badge bad' }, `Expired ${fmt.time(at)}`) : fmt.time(at);
}

async function loadTransactions(page) {
  txPrevious.disabled = true;
  txNext.disabled = true;
  try {
    const answer = await api('/api/user/credit/transactions', { query: { page, pageSize: TX_PAGE } });
    txPage = page;
    const pages = Math.max(1, Math.ceil(answer.count / TX_PAGE));
    txLabel.textContent = `Page ${page} of ${pages}`;
    txPrevious.disabled = page <= 1;
    txNext.disabled = page >= pages;
    render(transactions, table([
      { label: 'Time', value: t => fmt.time(t.createdAt) },
      { label: 'Kind', value: t => t.kind },
      { label: 'Amount', numeric: true, value: t => h('span', { class: Number(t.amount) < 0 ? 'error' : 'ok' },
        fmt.credits(t.amount)) },
      { label: 'Call', value: t => t.callId ? h('code', {}, t.callId) : '' },
      { label: 'Note', value: t => t.description || '' },
    ], answer.list, { empty: 'No transactions yet.', caption: 'Transactions' }));
  } catch (e) {
    showError(transactions, e);
  }
}

await Promise.all([loadSummary(), loadGrants(), loadTransactions(1), history.load(filters.values())]);
ready();
