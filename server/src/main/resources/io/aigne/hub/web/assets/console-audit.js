// Audit log: who changed what, newest first, with the filters the audit API supports (actor, action or its start,
// target, time) and a dialog with a change's before and after, masked as the API gives them.
import { api, app, field, fmt, h, ready, render, showError, table } from './hub.js';

const PAGE_SIZE = 25;
const actor = h('input', { type: 'text', autocomplete: 'off' });
const action = h('input', { type: 'text', autocomplete: 'off', placeholder: 'e.g. provider. or credit.grant' });
const targetType = h('input', { type: 'text', autocomplete: 'off', placeholder: 'e.g. user' });
const targetId = h('input', { type: 'text', autocomplete: 'off' });
const since = h('input', { type: 'datetime-local' });
const until = h('input', { type: 'datetime-local' });
const apply = h('button', { type: 'submit' }, 'Apply filters');
const form = h('form', { class: 'filters', onsubmit: e => { e.preventDefault(); page = 1; load(); } },
  h('fieldset', {}, h('legend', {}, 'Filters'),
    h('div', { class: 'row' },
      field('Actor', actor, 'A user id, or the name of the key or user.'),
      field('Action', action, 'An action or its start.'),
      field('Target type', targetType), field('Target id', targetId),
      field('From', since), field('To', until)),
    h('div', { class: 'actions' }, apply)));
const status = h('p', { class: 'muted', 'aria-live': 'polite' });
const body = h('div');
const previous = h('button', { type: 'button', class: 'secondary', onclick: () => { page--; load(); } }, 'Previous');
const next = h('button', { type: 'button', class: 'secondary', onclick: () => { page++; load(); } }, 'Next');
const pageLabel = h('span', { class: 'muted' });
const dialog = changeDialog();

render(app(), form, status, body,
  h('nav', { class: 'pager', 'aria-label': 'Audit log pages' }, previous, pageLabel, next), dialog.element);

let page = 1;

/** A datetime-local value as epoch milliseconds (the browser's time zone), or '' when empty. */
function millis(input) {
  return input.value ? String(new Date(input.value).getTime()) : '';
}

async function load() {
  previous.disabled = true;
  next.disabled = true;
  status.textContent = 'Loading…';
  try {
    const answer = await api('/api/admin/audit', {
      query: { actor: actor.value.trim(), action: action.value.trim(), targetType: targetType.value.trim(),
        targetId: targetId.value.trim(), since: millis(since), until: millis(until), page, pageSize: PAGE_SIZE },
    });
    const pages = Math.max(1, Math.ceil(answer.count / PAGE_SIZE));
    status.textContent = answer.count === 1 ? '1 change matches.' : `${fmt.int(answer.count)} changes match.`;
    pageLabel.textContent = `Page ${page} of ${pages}`;
    previous.disabled = page <= 1;
    next.disabled = page >= pages;
    render(body, table([
      { label: 'Time', value: e => fmt.time(e.time) },
      { label: 'Actor', value: e => `${e.actor.name || e.actor.id || '–'} (${e.actor.type})` },
      { label: 'Action', value: e => h('code', {}, e.action) },
      { label: 'Target', value: e => `${e.target.type}${e.target.id ? ` ${e.target.id}` : ''}` },
      { label: 'IP', value: e => e.ip || '–' },
      { label: 'Change', value: e => h('button', { type: 'button', class: 'secondary small',
        'aria-label': `Change of ${e.action} at ${fmt.time(e.time)}`, onclick: () => dialog.open(e) }, 'Details') },
    ], answer.list, { empty: 'No changes match these filters.', caption: 'Audit log' }));
  } catch (e) {
    status.textContent = '';
    showError(body, e);
  }
}

/** A dialog with an entry's before and after JSON, side by side on wide screens. */
function changeDialog() {
  const heading = h('h2', { id: 'audit-change-title' });
  const content = h('div');
  const close = h('button', { type: 'button', onclick: () => element.close() }, 'Close');
  const element = h('dialog', { 'aria-labelledby': 'audit-change-title', class: 'wide' },
    heading, content, h('div', { class: 'actions' }, close));
  const json = v => (v === null || v === undefined ? h('p', { class: 'muted' }, 'Nothing')
    : h('pre', { class: 'json' }, JSON.stringify(v, null, 2)));
  return {
    element,
    open(e) {
      heading.textContent = `${e.action} — ${e.target.type}${e.target.id ? ` ${e.target.id}` : ''}`;
      render(content,
        h('p', { class: 'muted' }, `${fmt.time(e.time)} by ${e.actor.name || e.actor.id} (${e.actor.type})`
          + (e.ip ? ` from ${e.ip}` : '')),
        h('div', { class: 'two-columns' },
          h('section', {}, h('h3', {}, 'Before'), json(e.before)),
          h('section', {}, h('h3', {}, 'After'), json(e.after))));
      element.showModal();
      close.focus();
    },
  };
}

await load();
ready();
