// The model picker of the playground pages: the hub's routable models of one type (GET /api/ai/models?type=…),
// grouped by provider, the unavailable ones disabled. The last choice per type is remembered in this browser.
import { api, field, h } from '../hub.js';

/**
 * type: 'chat', 'image_generation' or 'embedding'. Answers {element, select, load(), choose(key)}; load() fills the list and
 * answers how many models it holds (throws ApiError when the list cannot be read).
 */
export function modelPicker(type, label = 'Model') {
  const storageKey = `playground.model.${type}`;
  const select = h('select', { name: 'model', required: true,
    onchange: () => localStorage.setItem(storageKey, select.value) }, h('option', { value: '' }, 'Loading models…'));
  const element = field(label, select);

  async function load(preferred) {
    const models = await api('/api/ai/models', { query: { type } });
    const byProvider = new Map();
    for (const m of models) {
      const group = m.providerDisplayName || m.provider;
      if (!byProvider.has(group)) byProvider.set(group, []);
      byProvider.get(group).push(m);
    }
    select.replaceChildren();
    if (models.length === 0) {
      select.append(h('option', { value: '' }, 'No models of this kind are set up'));
      select.disabled = true;
      return 0;
    }
    for (const [group, list] of byProvider) {
      select.append(h('optgroup', { label: group }, list.map(m => h('option', {
        value: m.key, disabled: m.status && m.status.available === false,
      }, m.status && m.status.available === false ? `${m.model} (unavailable)` : m.model))));
    }
    choose(preferred || localStorage.getItem(storageKey));
    return models.length;
  }

  /** Selects `key` when the list has it (e.g. a reopened conversation's model); answers whether it did. */
  function choose(key) {
    const option = key && [...select.options].find(o => o.value === key && !o.disabled);
    if (option) select.value = key;
    else if (select.selectedOptions[0]?.disabled) {
      const first = [...select.options].find(o => !o.disabled);
      if (first) select.value = first.value;
    }
    return !!option;
  }

  return { element, select, load, choose };
}
