// Model rates: the table with a filter, add/edit/delete, each rate's history, the bulk margin update and the import
// from the price catalogue (each previewed before it is applied). Forms take credits per million tokens, as people
// quote prices; the hub stores credits per token, converted exactly by rate-format.js.
import { ApiError, api, app, busy, field, fmt, h, notice, ready, render, showError, table } from './hub.js';
import { confirmDialog, formDialog } from './widgets/dialogs.js';
import { providerTypes } from './widgets/provider-types.js';
import { credits, perMillion, perToken } from './widgets/rate-format.js';

const PAGE_SIZE = 50;
const TYPES = ['chat', 'embedding', 'image', 'video'];
/** The form's labels by API field, so a refusal names the field the user sees. */
const LABELS = { inputRate: 'Input', outputRate: 'Output', cacheReadRate: 'Cache read', cacheWriteRate: 'Cache write',
  imageRate: 'Per image', videoSecondRate: 'Per video second', model: 'Model', type: 'Type', providerId: 'Provider',
  displayName: 'Display name', deprecatedReason: 'Deprecation reason', marginPercent: 'Margin %' };

const root = app();
const status = h('div', { 'aria-live': 'polite' });
const tableEl = h('div', {});
const countEl = h('p', { class: 'muted', 'aria-live': 'polite' });
const pagerEl = h('div', { class: 'pager' });
let pageNumber = 1;

/** An ApiError restated with the form's label for its field. */
function labelled(e) {
  const param = e instanceof ApiError ? e.body?.error?.param : null;
  if (param && LABELS[param]) {
    // The form takes per-million figures, so the hub's 12 places per token are 6 here.
    const perMillionField = ['inputRate', 'outputRate', 'cacheReadRate', 'cacheWriteRate'].includes(param);
    return new Error(perMillionField && e.message.includes('decimal places')
      ? `${LABELS[param]}: at most 6 decimal places per million tokens.` : `${LABELS[param]}: ${e.message}`);
  }
  return e;
}

const search = h('input', { type: 'search', placeholder: 'Model, provider or name', autocomplete: 'off' });
const typeFilter = h('select', {}, h('option', { value: '' }, 'All types'), TYPES.map(t => h('option', { value: t }, t)));
const withDeprecated = h('input', { type: 'checkbox', checked: true });
let searchTimer;
search.addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => loadRates(1), 250); });
typeFilter.addEventListener('change', () => loadRates(1));
withDeprecated.addEventListener('change', () => loadRates(1));

function rateCells(r) {
  const pm = r.perMillionTokens || {};
  return { input: credits(pm.input), output: credits(pm.output), cacheRead: credits(pm.cacheRead),
    cacheWrite: credits(pm.cacheWrite) };
}

function imageText(r) {
  const tiers = Object.entries(r.imageRates || {}).map(([tier, v]) => `${tier}: ${credits(v)}`);
  if (r.imageRate === undefined && tiers.length === 0) return '–';
  return [r.imageRate !== undefined ? credits(r.imageRate) : null, ...tiers].filter(Boolean).join('; ');
}

const columns = [
  { label: 'Provider', value: r => h('span', {}, r.provider, r.scope === 'type'
    ? h('span', { class: 'badge', title: 'Default of every provider of this type' }, ' type default') : null) },
  { label: 'Model', value: r => h('span', {}, h('code', {}, r.model),
    r.displayName ? h('div', { class: 'muted', style: 'font-size:.8rem' }, r.displayName) : null) },
  { label: 'Type', value: r => r.type },
  { label: 'Input / 1M', numeric: true, value: r => rateCells(r).input },
  { label: 'Output / 1M', numeric: true, value: r => rateCells(r).output },
  { label: 'Cache read / 1M', numeric: true, value: r => rateCells(r).cacheRead },
  { label: 'Cache write / 1M', numeric: true, value: r => rateCells(r).cacheWrite },
  { label: 'Per image', numeric: true, value: imageText },
  { label: 'Video / s', numeric: true, value: r => credits(r.videoSecondRate) },
  { label: 'Source', value: r => r.source },
  { label: 'Status', value: r => r.deprecated
    ? h('span', { class: 'badge warn', title: r.deprecatedReason || '' }, 'deprecated') : h('span', { class: 'badge ok' }, 'active') },
  { label: 'Actions', value: r => h('div', { class: 'actions', style: 'margin:0;flex-wrap:nowrap' },
    h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${r.provider} ${r.model} ${r.type}`,
      onclick: () => rateDialog(r) }, 'Edit'),
    h('button', { type: 'button', class: 'secondary', 'aria-label': `History of ${r.provider} ${r.model} ${r.type}`,
      onclick: () => historyDialog(r) }, 'History'),
    h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${r.provider} ${r.model} ${r.type}`,
      onclick: e => deleteRate(r, e.currentTarget) }, 'Delete')) },
];

async function loadRates(page = pageNumber, message) {
  pageNumber = page;
  try {
    const result = await api('/api/ai-providers/model-rates', { query: { q: search.value.trim(), type: typeFilter.value,
      includeDeprecated: withDeprecated.checked ? 'true' : '', page, pageSize: PAGE_SIZE } });
    const pages = Math.max(1, Math.ceil(result.count / PAGE_SIZE));
    render(countEl, `${fmt.int(result.count)} rate${result.count === 1 ? '' : 's'}`
      + (pages > 1 ? `, page ${page} of ${pages}` : ''));
    render(tableEl, table(columns, result.list, { caption: 'Model rates', empty: search.value || typeFilter.value
      ? 'No rate matches the filter.' : 'No rates yet: add one or import the price catalogue.' }));
    render(pagerEl, pages > 1 ? [
      h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onclick: () => loadRates(page - 1) }, 'Previous'),
      h('button', { type: 'button', class: 'secondary', disabled: page >= pages, onclick: () => loadRates(page + 1) }, 'Next'),
    ] : null);
    render(status, message ? notice(message) : null);
  } catch (e) {
    showError(status, e);
  }
}

function rateInput(value) {
  return h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', value: value ?? '' });
}

/** Adds a rate (`rate` null) or edits one: prices per million tokens / per image / per second, deprecation. */
async function rateDialog(rate) {
  const editing = !!rate;
  let owners = [];
  if (!editing) {
    try {
      const [providers, types] = await Promise.all([api('/api/ai-providers'), providerTypes()]);
      owners = [...providers.map(p => ({ value: p.name, label: `${p.name} (provider)` })),
        ...types.map(t => ({ value: t.id, label: `${t.id} (default of every ${t.id} provider)` }))];
    } catch (e) {
      showError(status, e);
      return;
    }
  }
  const provider = h('select', {}, owners.map(o => h('option', { value: o.value }, o.label)));
  const model = h('input', { type: 'text', autocomplete: 'off', spellcheck: false, placeholder: 'gpt-4o-mini' });
  const type = h('select', {}, TYPES.map(t => h('option', { value: t }, t)));
  const displayName = h('input', { type: 'text', autocomplete: 'off', value: rate?.displayName || '' });
  const pm = rate?.perMillionTokens || {};
  const input = rateInput(editing ? pm.input : '');
  const output = rateInput(editing ? pm.output : '');
  const cacheRead = rateInput(rate ? perMillion(rate.cacheReadRate) : '');
  const cacheWrite = rateInput(rate ? perMillion(rate.cacheWriteRate) : '');
  const image = rateInput(rate?.imageRate);
  const video = rateInput(rate?.videoSecondRate);
  const deprecated = h('input', { type: 'checkbox', checked: !!rate?.deprecated });
  const reason = h('input', { type: 'text', autocomplete: 'off', value: rate?.deprecatedReason || '' });
  const blankIsNull = s => (s.trim() === '' ? null : s.trim());
  const saved = await formDialog({
    title: editing ? `Edit ${rate.provider} / ${rate.model} (${rate.type})` : 'Add a model rate',
    submitLabel: editing ? 'Save rate' : 'Add rate',
    content: [
      editing ? null : field('Provider', provider, 'A provider\'s own rate, or the default of a type.'),
      editing ? null : field('Model', model),
      editing ? null : field('Type', type),
      field('Display name', displayName),
      h('fieldset', {}, h('legend', {}, 'Credits per million tokens'),
        h('div', { class: 'row' }, field('Input', input), field('Output', output)),
        h('div', { class: 'row' }, field('Cache read', cacheRead, 'Empty: the input price.'),
          field('Cache write', cacheWrite, 'Empty: the input price.'))),
      h('div', { class: 'row' }, field('Per image', image, 'Credits, image models.'),
        field('Per video second', video, 'Credits, video models.')),
      h('div', { class: 'row' }, h('label', { class: 'shrink' }, deprecated, ' Deprecated'),
        field('Deprecation reason', reason)),
    ],
    onSubmit: async () => {
      const body = {
        displayName: blankIsNull(displayName.value),
        inputRate: perToken(input.value) ?? '0', outputRate: perToken(output.value) ?? '0',
        cacheReadRate: perToken(cacheRead.value), cacheWriteRate: perToken(cacheWrite.value),
        imageRate: blankIsNull(image.value), videoSecondRate: blankIsNull(video.value),
        deprecated: deprecated.checked, deprecatedReason: deprecated.checked ? blankIsNull(reason.value) : null,
      };
      try {
        if (editing) {
          return await api(`/api/ai-providers/${encodeURIComponent(rate.provider)}/model-rates/${encodeURIComponent(rate.id)}`,
            { method: 'PUT', body });
        }
        if (model.value.trim() === '') throw new Error('Model: enter the provider\'s model id, e.g. gpt-4o-mini.');
        return await api(`/api/ai-providers/${encodeURIComponent(provider.value)}/model-rates`,
          { method: 'POST', body: { ...body, model: model.value.trim(), type: type.value } });
      } catch (e) {
        throw labelled(e);
      }
    },
  });
  if (saved) await loadRates(editing ? pageNumber : 1, `Rate for ${saved.provider} / ${saved.model} saved.`);
}

async function deleteRate(r, button) {
  if (!await confirmDialog({ title: `Delete the rate of ${r.provider} / ${r.model}?`, danger: true,
    confirmLabel: 'Delete rate', message: `Calls to this ${r.type} model are then priced by the type default, `
      + 'if there is one, or not at all. The rate\'s history stays.' })) return;
  await busy(button, async () => {
    await api(`/api/ai-providers/${encodeURIComponent(r.provider)}/model-rates/${encodeURIComponent(r.id)}`,
      { method: 'DELETE' });
    await loadRates(pageNumber, `Rate for ${r.provider} / ${r.model} deleted.`);
  }, status);
}

function pricesText(p) {
  if (!p) return '–';
  const pm = p.perMillionTokens || {};
  const parts = [`in ${credits(pm.input)}`, `out ${credits(pm.output)}`];
  if (p.imageRate !== undefined) parts.push(`image ${credits(p.imageRate)}`);
  if (p.videoSecondRate !== undefined) parts.push(`video/s ${credits(p.videoSecondRate)}`);
  return parts.join(', ');
}

async function historyDialog(r) {
  const body = h('div', { 'aria-live': 'polite' }, 'Loading…');
  const done = confirmDialog({ title: `History of ${r.provider} / ${r.model} (${r.type})`, confirmLabel: 'Close',
    details: body });
  try {
    const history = await api(`/api/ai-providers/model-rates/${encodeURIComponent(r.id)}/history`);
    render(body, h('p', { class: 'muted' }, 'Prices per million tokens, newest first.'),
      table([
        { label: 'When', value: e => fmt.time(e.createdAt) },
        { label: 'Change', value: e => e.changeType.replace('_', ' ') },
        { label: 'Before', value: e => pricesText(e.before) },
        { label: 'After', value: e => pricesText(e.after) },
        { label: 'By', value: e => e.actor || '–' },
      ], history.list, { empty: 'No changes recorded.', caption: 'Rate history' }));
  } catch (e) {
    showError(body, e);
  }
  await done;
}

/** The changes of a bulk update or an import, old → new per million tokens. */
function changesTable(changes, caption) {
  return table([
    { label: 'Provider', value: c => c.provider },
    { label: 'Model', value: c => h('code', {}, c.model) },
    { label: 'Type', value: c => c.type },
    { label: 'Before', value: c => (c.before ? pricesText(c.before) : 'new') },
    { label: 'After', value: c => pricesText(c.after) },
  ], changes, { caption, empty: 'None.' });
}

function bulkMarginCard() {
  const margin = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off' });
  const current = h('span', {}, 'Empty: the current margin.');
  const result = h('div', { 'aria-live': 'polite' });
  // The margin in force, as the field's placeholder: what an empty field means.
  const showCurrent = () => api('/api/admin/billing/settings').then(s => {
    margin.placeholder = s.marginPercent;
    render(current, `Empty: the current margin, ${s.marginPercent} %.`);
  }, e => showError(result, e));
  showCurrent();
  const previewButton = h('button', { type: 'button', class: 'secondary' }, 'Preview');
  const body = () => ({ mode: 'margin', marginPercent: margin.value.trim() === '' ? undefined : margin.value.trim() });
  previewButton.addEventListener('click', () => busy(previewButton, async () => {
    const plan = await api('/api/ai-providers/bulk-rate-update', { method: 'POST', body: { ...body(), dryRun: true } })
      .catch(e => { throw labelled(e); });
    const apply = h('button', { type: 'button' }, `Apply to ${fmt.int(plan.updated)} rates`);
    apply.addEventListener('click', async () => {
      if (!await confirmDialog({ title: 'Apply the new margin?', confirmLabel: 'Apply margin',
        message: `${fmt.int(plan.updated)} rate(s) are derived again at a ${plan.marginPercent} % margin, and the `
          + 'margin becomes the billing setting for future imports.' })) return;
      await busy(apply, async () => {
        const done = await api('/api/ai-providers/bulk-rate-update', { method: 'POST', body: body() })
          .catch(e => { throw labelled(e); });
        render(result, notice(`Margin ${done.marginPercent} % applied: ${fmt.int(done.updated)} rate(s) updated, `
          + `${fmt.int(done.unchanged)} unchanged, ${fmt.int(done.withoutUnitCosts)} without provider prices kept.`));
        await Promise.all([loadRates(pageNumber), showCurrent()]);
      }, result);
    });
    render(result,
      h('p', { class: 'bulk-summary' }, `At a ${plan.marginPercent} % margin: ${fmt.int(plan.updated)} rate(s) would change, `
        + `${fmt.int(plan.unchanged)} stay the same, ${fmt.int(plan.withoutUnitCosts)} have no provider price and are kept.`),
      plan.changes.length ? changesTable(plan.changes, 'Rates the margin would change') : null,
      h('div', { class: 'actions' }, apply));
    apply.disabled = plan.updated === 0;
  }, result));
  return h('section', { class: 'card', 'aria-labelledby': 'bulk-title' },
    h('h2', { id: 'bulk-title', style: 'margin-top:0' }, 'Bulk margin update'),
    h('p', { class: 'muted' }, 'Derives every rate that knows its provider\'s price again at a new margin. '
      + 'Rates set without provider prices stay as they are.'),
    h('div', { class: 'row' }, field('Margin %', margin, current),
      h('div', { class: 'shrink' }, previewButton)),
    result);
}

function importCard() {
  const typeBoxes = h('div', { class: 'type-boxes' });
  const result = h('div', { 'aria-live': 'polite' });
  providerTypes().then(types => render(typeBoxes, types.map(t =>
    h('label', {}, h('input', { type: 'checkbox', value: t.id }), ` ${t.id}`))), e => showError(result, e));
  const previewButton = h('button', { type: 'button', class: 'secondary' }, 'Preview import');
  const body = () => {
    const chosen = [...typeBoxes.querySelectorAll('input:checked')].map(b => b.value);
    return chosen.length ? { providers: chosen } : {};
  };
  previewButton.addEventListener('click', () => busy(previewButton, async () => {
    const plan = await api('/api/ai-providers/model-rates/import', { method: 'POST', body: { ...body(), dryRun: true } });
    const s = plan.summary;
    const byAction = a => plan.changes.filter(c => c.action === a);
    const apply = h('button', { type: 'button' }, 'Apply import');
    apply.disabled = s.create + s.update === 0;
    apply.addEventListener('click', async () => {
      if (!await confirmDialog({ title: 'Apply the import?', confirmLabel: 'Apply import',
        message: `${fmt.int(s.create)} rate(s) are created and ${fmt.int(s.update)} updated from the catalogue; `
          + 'rates set by hand are kept.' })) return;
      await busy(apply, async () => {
        const done = await api('/api/ai-providers/model-rates/import', { method: 'POST', body: body() });
        render(result, notice(`Import applied: ${fmt.int(done.summary.create)} created, ${fmt.int(done.summary.update)} `
          + `updated, ${fmt.int(done.summary.keptManual)} kept as set by hand.`));
        await loadRates(1);
      }, result);
    });
    const group = (label, changes) => (changes.length
      ? h('details', {}, h('summary', {}, `${label} (${fmt.int(changes.length)})`), changesTable(changes, label)) : null);
    render(result,
      h('div', { class: 'cards import-summary' },
        [['To create', s.create], ['To update', s.update], ['Unchanged', s.unchanged],
          ['Kept, set by hand', s.keptManual], ['Skipped models', s.skippedModels]].map(([label, n]) =>
          h('div', { class: 'stat' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, fmt.int(n))))),
      h('p', { class: 'muted' }, `Catalogue ${plan.catalog}, prices of ${plan.pricesOf}, base credit price `
        + `$${plan.baseCreditPrice}, margin ${plan.marginPercent} %.`),
      group('Updates, old → new', byAction('update')),
      group('New rates', byAction('create')),
      group('Kept, set by hand (catalogue price shown as after)', byAction('keep_manual')),
      h('div', { class: 'actions' }, apply));
  }, result));
  return h('section', { class: 'card', 'aria-labelledby': 'import-title' },
    h('h2', { id: 'import-title', style: 'margin-top:0' }, 'Import from the price catalogue'),
    h('p', { class: 'muted' }, 'Creates missing rates and updates catalogue rates from the bundled price list; '
      + 'rates set by hand are never changed. Preview first: nothing is written until you apply.'),
    h('fieldset', {}, h('legend', {}, 'Provider types (none ticked: all)'),
      typeBoxes),
    h('div', { class: 'actions' }, previewButton),
    result);
}

render(root,
  h('div', { class: 'row' }, field('Filter', search), field('Type', typeFilter),
    h('label', { class: 'shrink' }, withDeprecated, ' Show deprecated'),
    h('div', { class: 'shrink' }, h('button', { type: 'button', onclick: () => rateDialog(null) }, 'Add rate'))),
  status, countEl, tableEl, pagerEl,
  bulkMarginCard(), importCard());
// The import card's type boxes come with the types; the page is ready once both are drawn.
await Promise.all([loadRates(1), providerTypes().catch(() => null)]);
ready();
