// Quotas and rate limits: how one reads, and the owners' and admins' editor over /api/admin/limits (used by the
// settings page for every limit, and by the users page for one access key's limits).
import { api, h, render, table, field, busy, showError, fmt } from '../hub.js';
import { addOrEdit } from './add-or-edit.js';
import { confirmDialog } from './dialogs.js';

export const METRICS = [
  ['requests_per_minute', 'requests / minute'],
  ['tokens_per_minute', 'tokens / minute'],
  ['credits_per_day', 'credits / day'],
  ['credits_per_month', 'credits / month'],
];
export const SCOPES = [['user', 'User'], ['key', 'Access key'], ['app', 'App'], ['model', 'Model']];

const metricNames = Object.fromEntries(METRICS);
const scopeNames = Object.fromEntries(SCOPES);

/** "60 requests / minute", "2.5 credits / day": credits arrive as decimal strings, counts as numbers. */
export function limitText(limit) {
  const amount = limit.unit === 'credits' ? fmt.credits(limit.limit) : fmt.int(limit.limit);
  return `${amount} ${metricNames[limit.metric] || limit.metric}`;
}

/** Limits as one line each, or "No limits" when there are none. */
export function limitsList(limits, empty = 'No limits') {
  if (!limits || limits.length === 0) return h('span', { class: 'muted' }, empty);
  return h('ul', { class: 'limit-list' }, limits.map(l => h('li', {}, limitText(l))));
}

/**
 * The value as the API takes it: whole numbers for requests and tokens, decimal strings for credits. Anything
 * else is sent as typed so that the API's own message names what is wrong.
 */
export function limitValue(metric, text) {
  const t = text.trim();
  if (metric.startsWith('credits')) return t;
  return /^\d+$/.test(t) ? Number(t) : t;
}

/**
 * The limits editor. With `scope` and `subject` it manages the limits of that one subject (the form asks only for
 * metric and value); without, every limit of the hub.
 */
export function limitsEditor({ scope: fixedScope, subject: fixedSubject } = {}) {
  const fixed = !!fixedScope;
  const listBox = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading limits…'));
  const errorBox = h('div', { 'aria-live': 'assertive' });
  const userNames = new Map();

  const scope = h('select', { name: 'scope' }, SCOPES.map(([v, label]) => h('option', { value: v }, label)));
  const subject = h('input', { type: 'text', name: 'subject', autocomplete: 'off' });
  const metric = h('select', { name: 'metric' }, METRICS.map(([v, label]) => h('option', { value: v }, label)));
  const value = h('input', { type: 'text', name: 'limit', inputmode: 'decimal', autocomplete: 'off' });
  const note = h('input', { type: 'text', name: 'note', autocomplete: 'off' });
  const mode = addOrEdit({ adding: 'Add a limit', add: 'Add limit', save: 'Save limit' });
  const { submit } = mode;
  const form = h('form', { class: 'limit-form', novalidate: true },
    h('fieldset', {}, mode.legend,
      h('div', { class: 'row' },
        fixed ? null : field('Applies to', scope),
        fixed ? null : field('Subject', subject, "'*' for each one; a user's name or id, an access key's id, an app's "
          + 'DID or a model id'),
        field('Limit on', metric),
        field('At most', value, 'Whole requests or tokens; credits may have decimals'),
        fixed ? null : field('Note', note)),
      h('div', { class: 'actions' }, submit, mode.cancel)));

  form.addEventListener('submit', e => {
    e.preventDefault();
    busy(submit, async () => {
      const body = { metric: metric.value, limit: limitValue(metric.value, value.value) };
      if (!fixed) Object.assign(body, { scope: scope.value, subject: subject.value.trim(), note: note.value.trim() || null });
      else Object.assign(body, { scope: fixedScope, subject: fixedSubject });
      if (mode.editing) await api(`/api/admin/limits/${encodeURIComponent(mode.editing.id)}`, { method: 'PUT', body });
      else await api('/api/admin/limits', { method: 'POST', body });
      mode.reset();
      await load();
    }, errorBox);
  });

  function edit(limit) {
    mode.edit(limit, `Edit limit: ${limitText(limit)}`);
    scope.value = limit.scope;
    subject.value = limit.subject;
    metric.value = limit.metric;
    value.value = String(limit.limit);
    note.value = limit.note || '';
    render(errorBox);
    (fixed ? metric : scope).focus();
  }

  async function remove(limit, button) {
    if (!(await confirmDialog({ message: `Delete the limit of ${limitText(limit)} for ${subjectText(limit)}?`,
      confirmLabel: 'Delete limit', danger: true }))) return;
    await busy(button, async () => {
      await api(`/api/admin/limits/${encodeURIComponent(limit.id)}`, { method: 'DELETE' });
      if (mode.editing && mode.editing.id === limit.id) mode.reset();
      await load();
    }, errorBox);
  }

  function subjectText(limit) {
    if (limit.subject === '*') return `each ${scopeNames[limit.scope].toLowerCase()}`;
    const name = limit.scope === 'user' ? userNames.get(limit.subject) : null;
    return `${scopeNames[limit.scope].toLowerCase()} ${name || limit.subject}`;
  }

  // Limits on a user name the user by id; the table shows their name.
  async function resolveUsers(limits) {
    const ids = [...new Set(limits.filter(l => l.scope === 'user' && l.subject !== '*').map(l => l.subject))]
      .filter(id => !userNames.has(id));
    await Promise.all(ids.map(id => api(`/api/admin/users/${encodeURIComponent(id)}`)
      .then(u => userNames.set(id, u.name), () => userNames.set(id, id))));
  }

  async function load() {
    try {
      const limits = await api('/api/admin/limits', { query: fixed ? { scope: fixedScope, subject: fixedSubject } : {} });
      await resolveUsers(limits);
      const columns = [
        fixed ? null : { label: 'Applies to', value: l => subjectText(l) },
        { label: 'Limit', value: l => limitText(l) },
        fixed ? null : { label: 'Note', value: l => l.note || '' },
        { label: 'Changed', value: l => fmt.time(l.updatedAt) },
        {
          label: 'Actions', value: l => h('div', { class: 'actions tight' },
            h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${limitText(l)} for ${subjectText(l)}`,
              onclick: () => edit(l) }, 'Edit'),
            h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${limitText(l)} for ${subjectText(l)}`,
              onclick: e => remove(l, e.currentTarget) }, 'Delete')),
        },
      ].filter(Boolean);
      render(listBox, table(columns, limits, { empty: 'No limits yet.', caption: 'Limits' }));
    } catch (e) {
      showError(listBox, e);
    }
  }

  const element = h('div', { class: 'limits-editor' }, listBox, errorBox, form);
  return { element, load };
}
