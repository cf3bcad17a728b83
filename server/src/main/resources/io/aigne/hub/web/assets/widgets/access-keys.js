// One user's access keys: the list (name, hint, created, last used, app, IP rules, limits), creating a key (its
// secret shown once, with a Copy button), editing its name and IP rules, and revoking it. The "my access keys"
// page and the users page use it with their own API paths.
import { api, h, render, table, field, busy, showError, fmt } from '../hub.js';
import { confirmDialog, formDialog } from './dialogs.js';
import { limitsList, limitText, limitValue, METRICS } from './limits.js';

/** Networks typed one per line (or separated by commas or spaces), as the API's list. */
function networks(text) {
  return text.split(/[\s,]+/).map(s => s.trim()).filter(Boolean);
}

function ipRulesText(key) {
  const parts = [];
  if (key.ipAllow && key.ipAllow.length) parts.push(h('div', {}, 'Allow: ', h('code', {}, key.ipAllow.join(', '))));
  if (key.ipDeny && key.ipDeny.length) parts.push(h('div', {}, 'Deny: ', h('code', {}, key.ipDeny.join(', '))));
  return parts.length ? parts : h('span', { class: 'muted' }, 'Any address');
}

function keyName(key) {
  return key.name || '(no name)';
}

/** The box that shows a new key's secret, the one time it is ever shown. */
function secretOnce(key, onDone) {
  const secret = h('code', { class: 'secret-value' }, key.secret);
  const status = h('span', { class: 'muted', 'aria-live': 'polite' });
  const copy = h('button', {
    type: 'button', onclick: async () => {
      try {
        await navigator.clipboard.writeText(key.secret);
        status.textContent = 'Copied to the clipboard.';
      } catch {
        // Without clipboard access (an insecure origin, a refused permission) the text is selected for Ctrl+C.
        getSelection().selectAllChildren(secret);
        status.textContent = 'Selected: press Ctrl+C (⌘C) to copy it.';
      }
    },
  }, 'Copy');
  const done = h('button', { type: 'button', class: 'secondary', onclick: onDone }, 'Done');
  const box = h('div', { class: 'card secret-card', role: 'region', 'aria-label': 'New access key secret' },
    h('p', {}, h('strong', {}, `Key “${keyName(key)}” created.`),
      ' Copy its secret now: it will not be shown again.'),
    h('div', { class: 'secret-once' }, secret),
    h('div', { class: 'actions' }, copy, done, status));
  return box;
}

/**
 * The panel. `paths`: {list, create, key(id)}; `limitsOf(key)` answers a key's limits; `limitsNote` says who sets
 * them; `showIds` adds each key's id (what a limit on one key names); `ownLimits(key)`, when given, is the path under
 * which the user sets and removes their own limits on the key (`<path>/<metric>`). Answers {element, load}.
 */
export function accessKeysPanel({ paths, limitsOf, limitsNote, showIds = false, ownLimits = null }) {
  const listBox = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading access keys…'));
  const secretBox = h('div', {});
  const errorBox = h('div', {});
  const showRevoked = h('input', { type: 'checkbox', onchange: () => load() });

  const name = h('input', { type: 'text', name: 'name', maxlength: 100, autocomplete: 'off', required: true });
  const app = h('input', { type: 'text', name: 'app', autocomplete: 'off' });
  const allow = h('input', { type: 'text', name: 'ipAllow', autocomplete: 'off' });
  const create = h('button', { type: 'submit' }, 'Create key');
  const form = h('form', { class: 'key-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'New access key'),
      h('div', { class: 'row' },
        field('Key name', name, 'What the key is for, e.g. laptop or CI'),
        field('App (optional)', app, "The calling app's DID, if the key is for one app"),
        field('Only from networks (optional)', allow, 'e.g. 203.0.113.0/24, comma separated')),
      h('div', { class: 'actions' }, create)));

  form.addEventListener('submit', e => {
    e.preventDefault();
    busy(create, async () => {
      if (!name.value.trim()) throw new Error('Key name: give the key a name, e.g. laptop or CI.');
      const body = { name: name.value.trim() };
      if (app.value.trim()) body.app = app.value.trim();
      if (allow.value.trim()) body.ipAllow = networks(allow.value);
      const made = await api(paths.create, { method: 'POST', body });
      form.reset();
      const box = secretOnce(made, () => {
        render(secretBox);
        name.focus();
      });
      render(secretBox, box);
      box.querySelector('button').focus();
      await load();
    }, errorBox);
  });

  async function revoke(key, button) {
    if (!(await confirmDialog({ message: `Revoke the key “${keyName(key)}” (${key.hint})? Programs using it stop `
      + 'working at once.', confirmLabel: 'Revoke key', danger: true }))) return;
    await busy(button, async () => {
      await api(paths.key(key.id), { method: 'DELETE' });
      await load();
    }, errorBox);
  }

  async function load() {
    try {
      const keys = await api(paths.list);
      const shown = keys.filter(k => showRevoked.checked || !k.revoked)
        .sort((a, b) => Number(a.revoked) - Number(b.revoked) || b.createdAt - a.createdAt);
      const limits = new Map(await Promise.all(shown.filter(k => !k.revoked)
        .map(k => limitsOf(k).then(l => [k.id, l], e => [k.id, e]))));
      const columns = [
        { label: 'Name', value: k => h('div', {}, h('strong', {}, keyName(k)), h('div', { class: 'muted' }, h('code', {}, k.hint)),
          showIds ? h('div', { class: 'muted' }, 'id ', h('code', {}, k.id)) : null) },
        { label: 'Created', value: k => fmt.time(k.createdAt) },
        { label: 'Last used', value: k => (k.lastUsedAt ? fmt.time(k.lastUsedAt) : 'Never') },
        { label: 'App', value: k => k.app || h('span', { class: 'muted' }, 'Any') },
        { label: 'IP rules', value: k => ipRulesText(k) },
        {
          label: 'Limits', value: k => {
            const l = limits.get(k.id);
            if (k.revoked) return '';
            if (l instanceof Error) return h('span', { class: 'error' }, l.message);
            return ownLimits ? ownLimitsList(k, l) : limitsList(l);
          },
        },
        {
          label: 'Actions', value: k => (k.revoked
            ? h('span', { class: 'badge bad' }, `Revoked ${fmt.time(k.revokedAt)}`)
            : h('div', { class: 'actions tight' },
              h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit key ${keyName(k)}`,
                onclick: () => editKey(k) }, 'Edit'),
              ownLimits ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Limit key ${keyName(k)}`,
                onclick: () => limitKey(k) }, 'Limit') : null,
              h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke key ${keyName(k)}`,
                onclick: e => revoke(k, e.currentTarget) }, 'Revoke'))),
        },
      ];
      const revokedCount = keys.length - keys.filter(k => !k.revoked).length;
      render(listBox,
        table(columns, shown, { empty: 'No access keys yet.', caption: 'Access keys' }),
        h('div', { class: 'row key-list-foot' },
          limitsNote ? h('p', { class: 'muted' }, limitsNote) : null,
          revokedCount ? h('label', { class: 'check shrink' }, showRevoked, ` Show ${revokedCount} revoked`) : null));
    } catch (e) {
      showError(listBox, e);
    }
  }

  /** The edit dialog: name and IP rules. A change that would lock out the key in use asks to be confirmed. */
  async function editKey(key) {
    const keyNameInput = h('input', { type: 'text', maxlength: 100, value: key.name || '' });
    const allowInput = h('textarea', { rows: 2 }, (key.ipAllow || []).join('\n'));
    const denyInput = h('textarea', { rows: 2 }, (key.ipDeny || []).join('\n'));
    const saved = await formDialog({
      title: `Edit key ${keyName(key)}`,
      content: [field('Key name', keyNameInput),
        field('Only from networks', allowInput, 'One network per line, e.g. 203.0.113.0/24; empty: any address'),
        field('Never from networks', denyInput, 'One network per line')],
      forceLabel: 'Save anyway',
      onSubmit: force => api(paths.key(key.id), {
        method: 'PUT', query: force ? { force: 'true' } : undefined,
        body: { name: keyNameInput.value.trim() || null, ipAllow: networks(allowInput.value), ipDeny: networks(denyInput.value) },
      }),
    });
    if (saved) await load();
  }

  /** The key's limits, with a Remove button on those the user set (an admin's stay as they are). */
  function ownLimitsList(key, limits) {
    if (limits.length === 0) return h('span', { class: 'muted' }, 'No limits');
    return h('ul', { class: 'limit-list' }, limits.map(l => h('li', {}, limitText(l),
      l.setByYou ? [' ', h('button', { type: 'button', class: 'small secondary',
        'aria-label': `Remove the ${limitText(l)} limit of ${keyName(key)}`,
        onclick: e => removeLimit(key, l, e.currentTarget) }, 'Remove')]
        : h('span', { class: 'muted' }, ' (set by an admin)'))));
  }

  /** Caps the key: a metric and its most; setting a metric again changes the limit. */
  async function limitKey(key) {
    const metric = h('select', {}, METRICS.map(([v, label]) => h('option', { value: v }, label)));
    const value = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off' });
    const saved = await formDialog({
      title: `Limit key ${keyName(key)}`,
      content: [field('Limit on', metric), field('At most', value, 'Requests and tokens: a whole number; credits: '
        + 'a decimal like 2.5. Calls over it are refused with 429 until the window ends.')],
      submitLabel: 'Set limit',
      onSubmit: () => api(`${ownLimits(key)}/${metric.value}`, {
        method: 'PUT', body: { limit: limitValue(metric.value, value.value) },
      }),
    });
    if (saved) await load();
  }

  async function removeLimit(key, limit, button) {
    if (!(await confirmDialog({ message: `Remove the ${limitText(limit)} limit of the key “${keyName(key)}”?`,
      confirmLabel: 'Remove limit', danger: true }))) return;
    await busy(button, async () => {
      await api(`${ownLimits(key)}/${limit.metric}`, { method: 'DELETE' });
      await load();
    }, errorBox);
  }

  const element = h('div', { class: 'access-keys' }, secretBox, form, errorBox, listBox);
  return { element, load };
}
