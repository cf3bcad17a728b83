// Providers and their credentials: list with health, add, edit, enable/disable, delete; per credential add, test,
// weight, enable/disable, delete. Secrets go in through password fields and only ever come back masked.
import { api, app, busy, field, fmt, h, notice, ready, render, showError, table } from './hub.js';
import { confirmDialog, formDialog } from './widgets/dialogs.js';
import { providerType, providerTypes } from './widgets/provider-types.js';

const root = app();
const status = h('div', { 'aria-live': 'polite' });
const listEl = h('div', {});
const addButton = h('button', { type: 'button', onclick: () => addProviderDialog() }, 'Add provider');

/** "a, b\nc" → ["a", "b", "c"]. */
function modelList(text) {
  return text.split(/[\n,]/).map(s => s.trim()).filter(Boolean);
}

/** The secret fields of a credential for a provider type: an API key, or Bedrock's access key pair. */
function secretFields(type) {
  if (providerType(type).credentialKind === 'access_key_pair') {
    const id = h('input', { type: 'text', autocomplete: 'off', spellcheck: false });
    const secret = h('input', { type: 'password', autocomplete: 'new-password' });
    return {
      nodes: [field('Access key ID', id), field('Secret access key', secret)],
      body: () => ({ credentialType: 'access_key_pair',
        credentialValue: { access_key_id: id.value.trim(), secret_access_key: secret.value } }),
    };
  }
  const key = h('input', { type: 'password', autocomplete: 'new-password' });
  return {
    nodes: [field('API key', key, providerType(type).keyOptional ? 'Optional for local servers.' : null)],
    body: () => ({ credentialType: 'api_key', value: key.value }),
  };
}

function weightInput(value = 100) {
  return h('input', { type: 'number', min: 0, max: 10000, step: 1, value: String(value), inputmode: 'numeric' });
}

/** A weight field's value as a number, or a message naming the field. */
function weightOf(input) {
  const n = Number(input.value);
  if (input.value.trim() === '' || !Number.isInteger(n)) throw new Error('Weight must be a whole number from 0 to 10000.');
  return n;
}

async function addProviderDialog() {
  let types;
  try {
    types = await providerTypes();
  } catch (e) {
    showError(status, e);
    return;
  }
  const type = h('select', {}, types.map(t => h('option', { value: t.id }, `${t.label} (${t.id})`)));
  const name = h('input', { type: 'text', autocomplete: 'off', spellcheck: false, placeholder: 'openai' });
  const displayName = h('input', { type: 'text', autocomplete: 'off' });
  const baseUrl = h('input', { type: 'url', autocomplete: 'off', placeholder: 'https://api.openai.com/v1' });
  const region = h('input', { type: 'text', autocomplete: 'off', placeholder: 'us-east-1' });
  const regionField = field('Region', region, 'Bedrock only.');
  const models = h('textarea', { rows: 2, spellcheck: false });
  const credentialName = h('input', { type: 'text', value: 'default', autocomplete: 'off' });
  const weight = weightInput();
  const secretBox = h('div', {});
  let secret;
  const onType = () => {
    const t = providerType(type.value);
    regionField.hidden = !t.needsRegion;
    baseUrl.placeholder = t.defaultBaseUrl || '';
    secret = secretFields(type.value);
    render(secretBox, secret.nodes);
  };
  type.addEventListener('change', onType);
  onType();
  const created = await formDialog({
    title: 'Add a provider',
    submitLabel: 'Add provider',
    content: [
      field('Type', type),
      field('Name', name, 'Lower-case letters, digits, - or _; callers write it before the model: name/model.'),
      field('Display name', displayName),
      field('Base URL', baseUrl, 'Empty: the type\'s official endpoint.'),
      regionField,
      field('Models', models, 'Model ids, separated by commas or lines; empty lists the provider\'s own.'),
      h('fieldset', {}, h('legend', {}, 'First credential'), field('Credential name', credentialName), secretBox,
        field('Weight', weight, 'Share of traffic among this provider\'s credentials; 0 keeps it out of rotation.')),
    ],
    onSubmit: () => api('/api/ai-providers', { method: 'POST', body: {
      type: type.value, name: name.value.trim(), displayName: displayName.value.trim() || undefined,
      baseUrl: baseUrl.value.trim() || undefined, region: region.value.trim() || undefined,
      models: modelList(models.value),
      credentials: [{ name: credentialName.value.trim(), weight: weightOf(weight), ...secret.body() }],
    } }),
  });
  if (created) await load(`Provider ${created.name} added.`);
}

async function editProviderDialog(p) {
  const displayName = h('input', { type: 'text', value: p.displayName || '', autocomplete: 'off' });
  const baseUrl = h('input', { type: 'url', value: p.baseUrl || '', autocomplete: 'off',
    placeholder: p.effectiveBaseUrl || '' });
  const region = h('input', { type: 'text', value: p.region || '', autocomplete: 'off' });
  const models = h('textarea', { rows: 3, spellcheck: false }, (p.models || []).join('\n'));
  const saved = await formDialog({
    title: `Edit ${p.name}`,
    content: [
      field('Display name', displayName),
      field('Base URL', baseUrl, 'The type\'s official endpoint is used when none is set.'),
      providerType(p.type).needsRegion ? field('Region', region) : null,
      field('Models', models, 'Model ids, separated by commas or lines.'),
    ],
    onSubmit: () => api(`/api/ai-providers/${encodeURIComponent(p.id)}`, { method: 'PUT', body: {
      displayName: displayName.value.trim(), baseUrl: baseUrl.value.trim() || undefined,
      region: providerType(p.type).needsRegion ? region.value.trim() : undefined, models: modelList(models.value),
    } }),
  });
  if (saved) await load(`Provider ${p.name} saved.`);
}

async function addCredentialDialog(p) {
  const name = h('input', { type: 'text', autocomplete: 'off' });
  const weight = weightInput();
  const secret = secretFields(p.type);
  const testResult = h('div', { 'aria-live': 'polite' });
  const test = h('button', { type: 'button', class: 'secondary' }, 'Test key');
  test.addEventListener('click', () => busy(test, async () => {
    await api(`/api/ai-providers/${encodeURIComponent(p.id)}/credentials/test`, { method: 'POST', body: secret.body() });
    render(testResult, notice('The provider accepted this key.'));
  }, testResult));
  const added = await formDialog({
    title: `Add a credential to ${p.name}`,
    submitLabel: 'Add credential',
    content: [field('Credential name', name), ...secret.nodes, field('Weight', weight),
      h('div', { class: 'actions' }, test), testResult],
    onSubmit: () => api(`/api/ai-providers/${encodeURIComponent(p.id)}/credentials`, { method: 'POST',
      body: { name: name.value.trim(), weight: weightOf(weight), ...secret.body() } }),
  });
  if (added) await load(`Credential ${added.name} added to ${p.name}.`);
}

function credentialPath(p, c) {
  return `/api/ai-providers/${encodeURIComponent(p.id)}/credentials/${encodeURIComponent(c.id)}`;
}

function healthBadge(c, health) {
  const state = health?.state || c.state || 'unknown';
  if (!c.enabled) return h('span', { class: 'badge' }, 'disabled');
  const kind = state === 'healthy' ? 'ok' : state === 'rejected' ? 'bad' : 'warn';
  return h('span', { class: `badge ${kind}` }, state.replace('_', ' '));
}

function credentialsTable(p, healthByName) {
  const rowError = h('div', { 'aria-live': 'polite' });
  const columns = [
    { label: 'Credential', value: c => c.name },
    { label: 'Key', value: c => h('code', {}, c.maskedValue || c.displayText || '') },
    { label: 'Health', value: c => {
      const health = healthByName[c.name];
      const lastError = health?.lastError || c.error;
      return h('div', {}, healthBadge(c, health),
        lastError ? h('div', { class: 'error', style: 'font-size:.8rem' }, `Last error: ${lastError}`) : null,
        health?.lastErrorAt ? h('div', { class: 'muted', style: 'font-size:.8rem' }, fmt.time(health.lastErrorAt)) : null);
    } },
    { label: 'Weight', value: c => {
      const input = weightInput(c.weight);
      input.setAttribute('aria-label', `Weight of ${c.name}`);
      input.style.width = '6rem';
      const save = h('button', { type: 'button', class: 'secondary' }, 'Save');
      save.setAttribute('aria-label', `Save weight of ${c.name}`);
      save.addEventListener('click', () => busy(save, async () => {
        await api(credentialPath(p, c), { method: 'PUT', body: { weight: weightOf(input) } });
        await load(`Weight of ${p.name}/${c.name} set to ${input.value}.`);
      }, rowError));
      return h('div', { class: 'row' }, h('span', { class: 'shrink' }, input), h('span', { class: 'shrink' }, save));
    } },
    { label: 'Actions', value: c => {
      const test = h('button', { type: 'button', class: 'secondary', 'aria-label': `Test ${c.name}` }, 'Test');
      test.addEventListener('click', () => busy(test, async () => {
        try {
          await api(`${credentialPath(p, c)}/check`);
        } catch (e) {
          const detail = e.body?.detail ? ` (${e.body.detail})` : '';
          throw new Error(`Test of ${p.name}/${c.name} failed: ${e.message}${detail}`);
        }
        await load(`Test of ${p.name}/${c.name} passed: the provider accepted the key.`);
      }, rowError));
      const toggle = h('button', { type: 'button', class: 'secondary',
        'aria-label': `${c.enabled ? 'Disable' : 'Enable'} ${c.name}` }, c.enabled ? 'Disable' : 'Enable');
      toggle.addEventListener('click', () => busy(toggle, async () => {
        await api(credentialPath(p, c), { method: 'PUT', body: { enabled: !c.enabled } });
        await load(`Credential ${p.name}/${c.name} ${c.enabled ? 'disabled' : 'enabled'}.`);
      }, rowError));
      const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${c.name}` }, 'Delete');
      remove.addEventListener('click', async () => {
        if (!await confirmDialog({ title: `Delete credential ${c.name}?`, danger: true, confirmLabel: 'Delete',
          message: `Calls to ${p.name} will no longer use this key. This cannot be undone.` })) return;
        await busy(remove, async () => {
          await api(credentialPath(p, c), { method: 'DELETE' });
          await load(`Credential ${p.name}/${c.name} deleted.`);
        }, rowError);
      });
      return h('div', { class: 'actions', style: 'margin:0' }, test, toggle, remove);
    } },
  ];
  return [table(columns, p.credentials || [], { empty: 'No credentials: calls to this provider fail until one is added.',
    caption: `Credentials of ${p.name}` }), rowError];
}

function providerCard(p, health) {
  const cardError = h('div', { 'aria-live': 'polite' });
  const toggle = h('button', { type: 'button', class: 'secondary' }, p.enabled ? 'Disable provider' : 'Enable provider');
  toggle.addEventListener('click', () => busy(toggle, async () => {
    await api(`/api/ai-providers/${encodeURIComponent(p.id)}`, { method: 'PUT', body: { enabled: !p.enabled } });
    await load(`Provider ${p.name} ${p.enabled ? 'disabled' : 'enabled'}.`);
  }, cardError));
  const remove = h('button', { type: 'button', class: 'danger' }, 'Delete provider');
  remove.addEventListener('click', async () => {
    if (!await confirmDialog({ title: `Delete provider ${p.name}?`, danger: true, confirmLabel: 'Delete',
      message: `${p.name} and its ${(p.credentials || []).length} credential(s) are removed; calls to ${p.name}/… `
        + 'then fail. Its model rates stay. This cannot be undone.' })) return;
    await busy(remove, async () => {
      await api(`/api/ai-providers/${encodeURIComponent(p.id)}`, { method: 'DELETE' });
      await load(`Provider ${p.name} deleted.`);
    }, cardError);
  });
  const titleId = `provider-${p.id}`;
  return h('section', { class: 'card provider', 'aria-labelledby': titleId, dataset: { provider: p.name } },
    h('h2', { id: titleId, style: 'margin-top:0' }, p.displayName && p.displayName !== p.name
      ? `${p.displayName} (${p.name})` : p.name, ' ',
    h('span', { class: 'badge' }, providerType(p.type).label), ' ',
    h('span', { class: `badge ${p.enabled ? 'ok' : 'bad'}` }, p.enabled ? 'enabled' : 'disabled')),
    h('dl', { class: 'provider-facts' },
      h('dt', {}, 'Base URL'), h('dd', {}, h('code', {}, p.effectiveBaseUrl || '–')),
      p.region ? [h('dt', {}, 'Region'), h('dd', {}, p.region)] : null,
      h('dt', {}, 'Models'), h('dd', {}, p.models?.length ? p.models.join(', ') : 'as the provider lists them'),
      h('dt', {}, 'Source'), h('dd', {}, p.source === 'config' ? 'configuration file' : p.source)),
    h('h3', {}, 'Credentials'),
    credentialsTable(p, health?.[p.name] || {}),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => addCredentialDialog(p) }, 'Add credential'),
      h('button', { type: 'button', class: 'secondary', onclick: () => editProviderDialog(p) }, 'Edit provider'),
      toggle, remove),
    cardError);
}

/** Reloads providers and health; `message` (what just changed) is announced above the list. */
async function load(message) {
  try {
    const [providers, health] = await Promise.all([api('/api/ai-providers'), api('/api/ai-providers/health'),
      providerTypes()]);
    render(listEl, providers.length === 0
      ? h('p', { class: 'muted' }, 'No providers yet. Add one to start routing calls.')
      : providers.map(p => providerCard(p, health.providers)));
    render(status, message ? notice(message) : null);
  } catch (e) {
    showError(status, e);
  }
}

render(root, h('div', { class: 'actions', style: 'margin-top:0' }, addButton), status, listEl);
await load();
ready();
