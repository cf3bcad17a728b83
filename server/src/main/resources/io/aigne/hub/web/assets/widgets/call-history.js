// The call history shared by the Usage page (every user's calls, for owners and admins) and My credits (the
// signed-in user's own): a table paged by cursor, a detail dialog with every field of a call, and an "Export CSV"
// link to the export API with the same filters.
import { api, fmt, h, render, showError, table } from '../hub.js';
import { filterQuery } from './usage-filters.js';

const PAGE_SIZE = 20;

/**
 * `everyone`: every user's calls (allUsers=true), with a user column; `controls`: shown under the heading (the
 * history's own filters, where the page has no others). Answers {element, load(filterValues)}.
 */
export function callHistory({ everyone = false, title = 'Call history', controls = null } = {}) {
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  const body = h('div', { class: 'history-body' });
  const exportLink = h('a', { class: 'button secondary', href: '#', download: '' }, 'Export CSV');
  const previous = h('button', { type: 'button', class: 'secondary', onclick: () => go(-1) }, 'Previous');
  const next = h('button', { type: 'button', class: 'secondary', onclick: () => go(1) }, 'Next');
  const pageLabel = h('span', { class: 'muted', 'aria-live': 'polite' });
  const dialog = detailDialog();
  const element = h('section', { class: 'call-history', 'aria-label': title },
    h('div', { class: 'history-head' }, h('h2', {}, title), exportLink),
    controls, status, body, h('nav', { class: 'pager', 'aria-label': `${title} pages` }, previous, pageLabel, next),
    dialog.element);

  let query = {};
  // Cursors of the pages shown so far: [null (first page), cursor of page 2, …]; the last is the current page.
  let cursors = [null];
  let nextCursor = null;
  let loading = null;

  async function show() {
    loading?.abort();
    const controller = new AbortController();
    loading = controller;
    previous.disabled = true;
    next.disabled = true;
    status.textContent = 'Loading calls…';
    try {
      const cursor = cursors[cursors.length - 1];
      const answer = await api('/api/user/model-calls', {
        query: { ...query, pageSize: PAGE_SIZE, cursor: cursor || '' }, signal: controller.signal,
      });
      nextCursor = answer.paging?.nextCursor || null;
      const approx = answer.countExact === false ? 'about ' : '';
      status.textContent = answer.count === 1 ? '1 call matches.' : `${approx}${fmt.int(answer.count)} calls match.`;
      render(body, table(columns(everyone, dialog.open), answer.list,
        { empty: 'No calls match these filters.', caption: title }));
      pageLabel.textContent = `Page ${cursors.length}`;
      previous.disabled = cursors.length === 1;
      next.disabled = !nextCursor;
    } catch (e) {
      if (e.name === 'AbortError') return;
      status.textContent = '';
      showError(body, e);
    }
  }

  function go(step) {
    if (step > 0 && nextCursor) cursors.push(nextCursor);
    if (step < 0 && cursors.length > 1) cursors.pop();
    return show();
  }

  return {
    element,
    /** Shows the first page for these filter values (from usageFilters). */
    load(values) {
      query = filterQuery(values, { everyone, history: true });
      const url = new URL('/api/user/model-calls/export', location.origin);
      for (const [k, v] of Object.entries(query)) if (v !== '' && v !== undefined) url.searchParams.set(k, v);
      exportLink.href = url.pathname + url.search;
      cursors = [null];
      return show();
    },
  };
}

function columns(everyone, open) {
  return [
    { label: 'Time', value: c => fmt.time(c.createdAt) },
    everyone ? { label: 'User', value: c => c.userInfo?.fullName || c.userId || '–' } : null,
    { label: 'Model', value: c => c.model },
    { label: 'Provider', value: c => c.provider || '–' },
    { label: 'App', value: c => c.appDid || '–' },
    { label: 'Type', value: c => c.type },
    { label: 'Status', value: statusBadge },
    { label: 'Tokens', numeric: true, value: c => fmt.int(c.usageMetrics?.totalTokens) },
    { label: 'Credits', numeric: true, value: c => fmt.credits(c.credits) },
    { label: 'Latency', numeric: true, value: c => fmt.ms(c.latencyMs) },
    { label: 'Details', value: c => h('button', { type: 'button', class: 'secondary small',
      'aria-label': `Details of the ${c.model} call at ${fmt.time(c.createdAt)}`, onclick: () => open(c) }, 'Details') },
  ].filter(Boolean);
}

export function statusBadge(c) {
  const kind = c.status === 'success' ? 'ok' : c.status === 'failed' ? 'bad' : 'warn';
  return h('span', { class: `badge ${kind}` }, c.status);
}

/** A <dialog> listing every field of one call record, as the API gives it. */
function detailDialog() {
  const heading = h('h2', { id: 'call-detail-title' }, 'Call');
  const list = h('dl', { class: 'details' });
  const close = h('button', { type: 'button', onclick: () => element.close() }, 'Close');
  const element = h('dialog', { 'aria-labelledby': 'call-detail-title', class: 'call-detail' },
    heading, list, h('div', { class: 'actions' }, close));
  return {
    element,
    open(c) {
      heading.textContent = `Call ${c.id}`;
      const u = c.usageMetrics || {};
      const rows = [
        ['Call id', c.id], ['Request id', c.requestId], ['Upstream request id', c.upstreamRequestId],
        ['Time', `${fmt.time(c.createdAt)} (${new Date(c.createdAt).toISOString()})`],
        ['User', c.userInfo ? `${c.userInfo.fullName} (${c.userId})` : c.userId],
        ['Access key', c.accessKeyId], ['App', c.appDid], ['Endpoint', c.endpoint],
        ['Type', c.type], ['Streamed', c.streamed ? 'yes' : 'no'],
        ['Model requested', c.model], ['Model answered', c.modelAnswered],
        ['Provider', c.provider], ['Credential', c.credentialId],
        ['Status', statusBadge(c)], ['HTTP status', c.httpStatus], ['Error', c.errorReason],
        ['Input tokens', fmt.int(u.inputTokens)], ['Output tokens', fmt.int(u.outputTokens)],
        ['Cached input tokens', fmt.int(u.cachedTokens)], ['Cache write tokens', fmt.int(u.cacheWriteTokens)],
        ['Reasoning tokens', fmt.int(u.reasoningTokens)], ['Total tokens', fmt.int(u.totalTokens)],
        ['Images', fmt.int(u.numberOfImageGeneration)], ['Video seconds', fmt.int(u.videoSeconds)],
        ['Credits', fmt.credits(c.credits)], ['Attempts', fmt.int(c.attempts)],
        ['Latency', fmt.ms(c.latencyMs)], ['Time to first byte', c.ttfbMs === undefined ? '–' : fmt.ms(c.ttfbMs)],
      ];
      render(list, rows.flatMap(([k, v]) => [h('dt', {}, k),
        h('dd', {}, v === null || v === undefined || v === '' ? '–' : v)]));
      element.showModal();
      close.focus();
    },
  };
}
