// Users and roles (owners and admins): search by name and role, page through, create a user, and for one user
// change profile, role and status, grant credits and manage their access keys.
import { api, app, h, render, ready, table, field, busy, fmt, notice, page as pageData } from './hub.js';
import { accessKeysPanel } from './widgets/access-keys.js';

const ROLES = ['owner', 'admin', 'member', 'guest'];
const PAGE_SIZE = 20;
const state = { q: '', role: '', page: 1 };

const listBox = h('div', { 'aria-live': 'polite' });
const detailBox = h('section', { class: 'user-detail', 'aria-label': 'Selected user' });

// Search
const q = h('input', { type: 'search', name: 'q', autocomplete: 'off' });
const roleFilter = h('select', { name: 'role' }, h('option', { value: '' }, 'Any role'),
  ROLES.map(r => h('option', { value: r }, r)));
const searchButton = h('button', { type: 'submit', class: 'shrink' }, 'Search');
const searchForm = h('form', { class: 'row', role: 'search' },
  field('Search users', q, 'Part of a name, display name or email'), field('Role', roleFilter), searchButton);
searchForm.addEventListener('submit', e => {
  e.preventDefault();
  Object.assign(state, { q: q.value.trim(), role: roleFilter.value, page: 1 });
  busy(searchButton, loadList);
});
roleFilter.addEventListener('change', () => searchForm.requestSubmit());

function roleBadge(user) {
  return h('span', { class: `badge${user.role === 'owner' || user.role === 'admin' ? ' warn' : ''}` }, user.role);
}

function statusBadge(user) {
  return user.disabled ? h('span', { class: 'badge bad' }, 'Disabled') : h('span', { class: 'badge ok' }, 'Active');
}

async function loadList() {
  try {
    const found = await api('/api/admin/users', { query: { q: state.q, role: state.role, page: state.page, pageSize: PAGE_SIZE } });
    const pages = Math.max(1, Math.ceil(found.count / PAGE_SIZE));
    const columns = [
      { label: 'User', value: u => h('div', {}, h('strong', {}, u.name), u.displayName ? h('div', { class: 'muted' }, u.displayName) : null) },
      { label: 'Email', value: u => u.email || '' },
      { label: 'Role', value: roleBadge },
      { label: 'Status', value: statusBadge },
      { label: 'Created', value: u => fmt.time(u.createdAt) },
      { label: 'Actions', value: u => h('button', { type: 'button', class: 'secondary', 'aria-label': `Manage ${u.name}`,
        onclick: () => openUser(u.id) }, 'Manage') },
    ];
    const prev = h('button', { type: 'button', class: 'secondary', disabled: state.page <= 1,
      onclick: () => { state.page -= 1; loadList(); } }, 'Previous');
    const next = h('button', { type: 'button', class: 'secondary', disabled: state.page >= pages,
      onclick: () => { state.page += 1; loadList(); } }, 'Next');
    render(listBox,
      h('p', { class: 'muted' }, `${fmt.int(found.count)} user${found.count === 1 ? '' : 's'}`),
      table(columns, found.list, { empty: 'No users match.', caption: 'Users' }),
      pages > 1 ? h('nav', { class: 'pager', 'aria-label': 'Pages of users' }, prev,
        h('span', {}, `Page ${state.page} of ${pages}`), next) : null);
  } catch (e) {
    render(listBox, notice(e.message, 'error'));
  }
}

// Create a user
function createForm() {
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'off' });
  const displayName = h('input', { type: 'text', name: 'displayName', autocomplete: 'off' });
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'off' });
  const role = h('select', { name: 'role' }, ROLES.map(r => h('option', { value: r, selected: r === 'member' }, r)));
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password' });
  const error = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit' }, 'Create user');
  const form = h('form', { novalidate: true },
    h('div', { class: 'row' }, field('User name', name, 'Letters, digits, . _ @ -'), field('Display name', displayName),
      field('Email', email), field('Role', role),
      field('Password (optional)', password, 'Leave empty for a user who signs in with single sign-on')),
    error, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', e => {
    e.preventDefault();
    busy(submit, async () => {
      const body = { name: name.value.trim(), role: role.value };
      if (displayName.value.trim()) body.displayName = displayName.value.trim();
      if (email.value.trim()) body.email = email.value.trim();
      if (password.value) body.password = password.value;
      const user = await api('/api/admin/users', { method: 'POST', body });
      form.reset();
      render(error, notice(`User ${user.name} created.`));
      await loadList();
      await openUser(user.id);
    }, error);
  });
  return h('details', { class: 'card' }, h('summary', {}, 'Create a user'), form);
}

// One user
async function openUser(id) {
  render(detailBox, h('p', { class: 'muted' }, 'Loading user…'));
  try {
    const user = await api(`/api/admin/users/${encodeURIComponent(id)}`);
    const heading = h('h2', { tabindex: '-1' }, `User ${user.name}`);
    render(detailBox, heading,
      h('p', {}, roleBadge(user), ' ', statusBadge(user), user.hasPassword ? '' : h('span', { class: 'muted' }, ' · signs in with single sign-on')),
      profileCard(user), creditsCard(user), keysCard(user));
    heading.focus();
    heading.scrollIntoView({ block: 'start' });
  } catch (e) {
    render(detailBox, notice(e.message, 'error'));
  }
}

function profileCard(user) {
  const displayName = h('input', { type: 'text', value: user.displayName || '' });
  const email = h('input', { type: 'email', value: user.email || '' });
  const role = h('select', {}, ROLES.map(r => h('option', { value: r, selected: r === user.role }, r)));
  const error = h('div', { 'aria-live': 'assertive' });
  const save = h('button', { type: 'submit' }, 'Save changes');
  const self = pageData.user && pageData.user.id === user.id;
  const toggle = h('button', { type: 'button', class: user.disabled ? '' : 'danger' },
    user.disabled ? 'Enable user' : 'Disable user');
  toggle.addEventListener('click', () => busy(toggle, async () => {
    await api(`/api/admin/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body: { disabled: !user.disabled } });
    await loadList();
    await openUser(user.id);
  }, error));
  const form = h('form', { novalidate: true },
    h('div', { class: 'row' }, field('Display name', displayName), field('Email', email, 'Empty to remove it'),
      field('Role', role, self ? 'Another owner can change your own role' : null)),
    error, h('div', { class: 'actions' }, save, toggle));
  form.addEventListener('submit', e => {
    e.preventDefault();
    busy(save, async () => {
      // Only what changed, so that an admin may edit a name without touching a role they may not change.
      const body = {};
      if (displayName.value.trim() !== (user.displayName || '')) body.displayName = displayName.value.trim();
      if (email.value.trim() !== (user.email || '')) body.email = email.value.trim();
      if (role.value !== user.role) body.role = role.value;
      if (Object.keys(body).length === 0) {
        render(error, notice('Nothing changed.'));
        return;
      }
      await api(`/api/admin/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body });
      await loadList();
      await openUser(user.id);
      notify(`Saved ${user.name}.`);
    }, error);
  });
  return h('div', { class: 'card' }, h('h3', {}, 'Profile and role'), form);
}

function creditsCard(user) {
  const balance = h('div', { class: 'cards', 'aria-live': 'polite' });
  const amount = h('input', { type: 'text', inputmode: 'decimal', name: 'amount', autocomplete: 'off' });
  const kind = h('select', { name: 'kind' }, h('option', { value: 'grant' }, 'Grant'), h('option', { value: 'promotion' }, 'Promotion'));
  const days = h('input', { type: 'number', min: '1', step: '1', name: 'expiresInDays' });
  const description = h('input', { type: 'text', name: 'description', autocomplete: 'off' });
  const error = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit' }, 'Grant credits');
  const form = h('form', { novalidate: true },
    h('div', { class: 'row' }, field('Credits', amount, 'e.g. 10 or 2.5'), field('Kind', kind),
      field('Expires in days', days, 'Empty: never expires'), field('Reason', description)),
    error, h('div', { class: 'actions' }, submit));
  async function loadBalance() {
    try {
      const a = await api(`/api/admin/credits/accounts/${encodeURIComponent(user.id)}`);
      render(balance,
        h('div', { class: 'stat' }, h('div', { class: 'label' }, 'Available'), h('div', { class: 'value', dataset: { balance: a.balance } }, fmt.credits(a.balance))),
        h('div', { class: 'stat' }, h('div', { class: 'label' }, 'Held by calls in flight'), h('div', { class: 'value' }, fmt.credits(a.pendingCredit))),
        h('div', { class: 'stat' }, h('div', { class: 'label' }, 'Open grants'), h('div', { class: 'value' }, fmt.int(a.grantCount))));
    } catch (e) {
      render(balance, notice(e.message, 'error'));
    }
  }
  form.addEventListener('submit', e => {
    e.preventDefault();
    busy(submit, async () => {
      const body = { user: user.id, amount: amount.value.trim(), kind: kind.value };
      if (days.value.trim()) {
        if (!/^\d+$/.test(days.value.trim())) throw new Error('Expires in days: a whole number of days, or empty for no expiry.');
        body.expiresInDays = Number(days.value.trim());
      }
      if (description.value.trim()) body.description = description.value.trim();
      const entry = await api('/api/admin/credits/grants', { method: 'POST', body });
      form.reset();
      render(error, notice(`Granted ${fmt.credits(entry.amount)} credits to ${user.name}.`));
      await loadBalance();
    }, error);
  });
  loadBalance();
  return h('div', { class: 'card' }, h('h3', {}, 'Credits'), balance, form);
}

function keysCard(user) {
  const body = h('div', {});
  const panel = accessKeysPanel({
    paths: {
      list: `/api/admin/users/${encodeURIComponent(user.id)}/access-keys`,
      create: `/api/admin/users/${encodeURIComponent(user.id)}/access-keys`,
      key: id => `/api/admin/access-keys/${encodeURIComponent(id)}`,
    },
    limitsOf: key => api('/api/admin/limits', { query: { scope: 'key', subject: key.id } }),
    limitsNote: 'Set limits on a key under Settings → Limits (applies to: access key, subject: the key’s id).',
    showIds: true,
  });
  render(body, panel.element);
  panel.load();
  return h('div', { class: 'card' }, h('h3', {}, `Access keys of ${user.name}`), body);
}

const status = h('div', { class: 'visually-hidden', role: 'status' });
function notify(text) {
  status.textContent = text;
}

render(app(), createForm(), h('div', { class: 'card' }, searchForm, listBox), detailBox, status);
await loadList();
ready();
