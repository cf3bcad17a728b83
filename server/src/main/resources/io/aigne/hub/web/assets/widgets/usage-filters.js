// The filters of the usage pages (range, provider, model, user, app, type, status), shared by the Usage page (where
// they drive the charts and the call history) and My credits (the history of the signed-in user's own calls).
import { api, field, h, isAdmin, rangeOf } from '../hub.js';

const RANGES = [[1, 'Last 24 hours'], [7, 'Last 7 days'], [30, 'Last 30 days'], [90, 'Last 90 days']];
const TYPES = [['', 'All types'], ['chat', 'Chat'], ['embedding', 'Embedding'], ['image', 'Image'], ['video', 'Video']];
const STATUSES = [['', 'All statuses'], ['success', 'Success'], ['failed', 'Failed'], ['cancelled', 'Cancelled']];

/**
 * Filter controls; `onChange(values)` runs when one changes (text fields on change, i.e. Enter or leaving the
 * field). `everyone`: owners' and admins' view of every user's calls, with a user filter. Answers
 * {element, values()}: values are {range, provider, model, userId, appDid, type, status}.
 */
export function usageFilters(onChange, { everyone = false, days = 7 } = {}) {
  const changed = () => onChange(values());
  const range = h('select', { onchange: changed },
    RANGES.map(([d, label]) => h('option', { value: d, selected: d === days }, label)));
  const provider = h('input', { type: 'text', list: 'usage-filter-providers', autocomplete: 'off', onchange: changed });
  const model = h('input', { type: 'text', autocomplete: 'off', placeholder: 'e.g. gpt-4o', onchange: changed });
  const user = h('input', { type: 'text', list: 'usage-filter-users', autocomplete: 'off', onchange: changed });
  const app = h('input', { type: 'text', autocomplete: 'off', onchange: changed });
  const type = h('select', { onchange: changed }, TYPES.map(([v, label]) => h('option', { value: v }, label)));
  const status = h('select', { onchange: changed }, STATUSES.map(([v, label]) => h('option', { value: v }, label)));
  const providers = h('datalist', { id: 'usage-filter-providers' });
  const users = h('datalist', { id: 'usage-filter-users' });

  const element = h('fieldset', { class: 'filters' }, h('legend', {}, 'Filters'),
    h('div', { class: 'row' },
      field('Range', range),
      field('Provider', provider),
      field('Model', model),
      everyone ? field('User', user, 'A user id; suggestions list names.') : null,
      field('App', app, 'The calling app\'s id.'),
      field('Type', type),
      field('Status', status)),
    providers, users);

  if (isAdmin) suggest(providers, users, everyone);

  function values() {
    return {
      range: rangeOf(Number(range.value)), provider: provider.value.trim(), model: model.value.trim(),
      userId: everyone ? user.value.trim() : '', appDid: app.value.trim(), type: type.value, status: status.value,
    };
  }
  return { element, values, setApp(v) { app.value = v; changed(); } };
}

/** Fills the suggestion lists; without them the fields still take typed values, so failures are only logged. */
async function suggest(providers, users, everyone) {
  try {
    const list = await api('/api/ai-providers');
    const items = Array.isArray(list) ? list : (list.list || list.providers || []);
    providers.replaceChildren(...items.map(p => h('option', { value: p.name }, p.displayName || p.name)));
    if (everyone) {
      const found = await api('/api/admin/users', { query: { pageSize: 100 } });
      users.replaceChildren(...found.list.map(u => h('option', { value: u.id }, `${u.fullName} (${u.name})`)));
    }
  } catch (e) {
    console.warn('filter suggestions unavailable:', e.message);
  }
}

/**
 * The API query for filter values: unix-second times, the browser's time zone for day buckets, and allUsers for
 * the everyone view. `history` adds the status, which only the call history can filter by.
 */
export function filterQuery(v, { everyone = false, history = false } = {}) {
  return {
    startTime: v.range.start, endTime: v.range.end, timezoneOffset: new Date().getTimezoneOffset(),
    provider: v.provider, model: v.model, appDid: v.appDid, type: v.type,
    allUsers: everyone ? 'true' : '', userId: everyone ? v.userId : '',
    status: history ? v.status : '',
  };
}
