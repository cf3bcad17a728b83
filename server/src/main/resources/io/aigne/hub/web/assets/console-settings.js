// Settings (owners and admins): billing, the playground's guest access, hub-wide IP rules and limits. Every value
// is checked by the hub's API; its messages, which name the setting, are shown as they come.
import { api, app, h, render, ready, table, field, busy, fmt, notice, showError } from './hub.js';
import { addOrEdit } from './widgets/add-or-edit.js';
import { confirmDialog } from './widgets/dialogs.js';
import { offerForce } from './widgets/lock-out.js';
import { limitsEditor } from './widgets/limits.js';

/** A whole number typed as such is sent as a number; anything else as typed, for the API to name the mistake. */
function whole(text) {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : t;
}

// ---- Billing -------------------------------------------------------------------------------------------------
function billingCard() {
  const box = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading billing settings…'));
  async function load(saved) {
    try {
      const settings = await api('/api/admin/billing/settings');
      render(box, saved ? notice(saved) : null, billingForm(settings, load));
    } catch (e) {
      showError(box, e);
    }
  }
  return { element: h('section', { class: 'card', 'aria-labelledby': 'billing-h' }, h('h2', { id: 'billing-h' }, 'Billing'), box), load };
}

function billingForm(s, reload) {
  const enabled = h('input', { type: 'checkbox', checked: s.enabled });
  const inputs = {
    baseCreditPrice: h('input', { type: 'text', inputmode: 'decimal', value: s.baseCreditPrice }),
    marginPercent: h('input', { type: 'text', inputmode: 'decimal', value: s.marginPercent }),
    newUserGrant: h('input', { type: 'text', inputmode: 'decimal', value: s.newUserGrant }),
    creditExpirationDays: h('input', { type: 'text', inputmode: 'numeric', value: String(s.creditExpirationDays) }),
    holdOutputTokens: h('input', { type: 'text', inputmode: 'numeric', value: String(s.holdOutputTokens) }),
    unpricedModels: h('select', {}, [['refuse', 'Refuse calls to them'], ['free', 'Let them run free of charge']]
      .map(([v, label]) => h('option', { value: v, selected: v === s.unpricedModels }, label))),
    purchaseUrl: h('input', { type: 'url', value: s.purchaseUrl, placeholder: 'https://…' }),
    creditPrefix: h('select', {}, [['', 'None'], ['$', '$'], ['€', '€'], ['¥', '¥']]
      .map(([v, label]) => h('option', { value: v, selected: v === s.creditPrefix }, label))),
  };
  const error = h('div', { 'aria-live': 'assertive' });
  const save = h('button', { type: 'submit' }, 'Save billing settings');
  const form = h('form', { novalidate: true },
    h('label', { class: 'check' }, enabled, ' Billing on: calls are charged in credits and refused without them'),
    h('div', { class: 'row' },
      field('Base credit price (USD per credit)', inputs.baseCreditPrice),
      field('Margin (%)', inputs.marginPercent, 'Added to providers’ prices; may be negative'),
      field('New-user grant (credits)', inputs.newUserGrant),
      field('Credits expire after (days)', inputs.creditExpirationDays, '0: never')),
    h('div', { class: 'row' },
      field('Output tokens held while a call runs', inputs.holdOutputTokens, 'Reserved from the balance until the call ends'),
      field('Models without a price', inputs.unpricedModels),
      field('Purchase URL', inputs.purchaseUrl, 'Empty: the hub’s own page'),
      field('Credit symbol', inputs.creditPrefix)),
    error, h('div', { class: 'actions' }, save));
  form.addEventListener('submit', e => {
    e.preventDefault();
    busy(save, async () => {
      const typed = {
        enabled: enabled.checked,
        baseCreditPrice: inputs.baseCreditPrice.value.trim(),
        marginPercent: inputs.marginPercent.value.trim(),
        newUserGrant: inputs.newUserGrant.value.trim(),
        creditExpirationDays: whole(inputs.creditExpirationDays.value),
        holdOutputTokens: whole(inputs.holdOutputTokens.value),
        unpricedModels: inputs.unpricedModels.value,
        purchaseUrl: inputs.purchaseUrl.value.trim(),
        creditPrefix: inputs.creditPrefix.value,
      };
      // Only the settings that changed: the others keep following the configuration file's defaults.
      const change = Object.fromEntries(Object.entries(typed).filter(([k, v]) => String(v) !== String(s[k])));
      if (Object.keys(change).length === 0) {
        render(error, notice('Nothing changed.'));
        return;
      }
      await api('/api/admin/billing/settings', { method: 'PUT', body: change });
      await reload('Billing settings saved.');
    }, error);
  });
  return form;
}

// ---- Playground ----------------------------------------------------------------------------------------------
function playgroundCard() {
  const box = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
  const error = h('div', { 'aria-live': 'assertive' });
  async function load() {
    try {
      const settings = await api('/api/admin/playground/settings');
      const guests = h('input', { type: 'checkbox', checked: !!settings.guestAccess, role: 'switch' });
      guests.addEventListener('change', async () => {
        guests.disabled = true;
        render(error);
        try {
          const saved = await api('/api/admin/playground/settings', { method: 'PUT', body: { guestAccess: guests.checked } });
          guests.checked = !!saved.guestAccess;
          announce(guests.checked ? 'Guests may now use the playground.' : 'Guests may no longer use the playground.');
        } catch (e) {
          guests.checked = !guests.checked;
          showError(error, e);
        } finally {
          guests.disabled = false;
        }
      });
      render(box, h('label', { class: 'check' }, guests, ' Guests may use the playground'),
        h('p', { class: 'muted' }, 'Users with the guest role can chat, make images and try embeddings.'));
    } catch (e) {
      showError(box, e);
    }
  }
  return { element: h('section', { class: 'card', 'aria-labelledby': 'playground-h' }, h('h2', { id: 'playground-h' }, 'Playground'), box, error), load };
}

// ---- IP rules ------------------------------------------------------------------------------------------------
function ipRulesCard() {
  const listBox = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading IP rules…'));
  const error = h('div', { 'aria-live': 'assertive' });
  const action = h('select', { name: 'action' }, h('option', { value: 'allow' }, 'Allow'), h('option', { value: 'deny' }, 'Deny'));
  const cidr = h('input', { type: 'text', name: 'cidr', autocomplete: 'off', placeholder: '203.0.113.0/24' });
  const note = h('input', { type: 'text', name: 'note', autocomplete: 'off' });
  const mode = addOrEdit({ adding: 'Add a rule', add: 'Add rule', save: 'Save rule' });
  const { submit } = mode;
  const form = h('form', { novalidate: true }, h('fieldset', {}, mode.legend,
    h('div', { class: 'row' }, field('Action', action), field('Network (CIDR)', cidr, 'An address or network, IPv4 or IPv6'),
      field('Note', note)),
    h('div', { class: 'actions' }, submit, mode.cancel)));

  function edit(rule) {
    mode.edit(rule, `Edit rule: ${rule.action} ${rule.cidr}`);
    action.value = rule.action;
    cidr.value = rule.cidr;
    note.value = rule.note || '';
    render(error);
    action.focus();
  }

  form.addEventListener('submit', e => {
    e.preventDefault();
    const body = { action: action.value, cidr: cidr.value.trim(), note: note.value.trim() || null };
    const send = force => (mode.editing
      ? api(`/api/admin/ip-rules/${encodeURIComponent(mode.editing.id)}`, { method: 'PUT', body, query: force ? { force: 'true' } : undefined })
      : api('/api/admin/ip-rules', { method: 'POST', body, query: force ? { force: 'true' } : undefined }));
    const done = async () => {
      mode.reset();
      render(error);
      await load();
    };
    busy(submit, async () => {
      try {
        await send(false);
      } catch (err) {
        if (offerForce(error, err, 'Apply anyway', async () => { await send(true); await done(); })) return;
        throw err;
      }
      await done();
    }, error);
  });

  async function remove(rule, button) {
    if (!(await confirmDialog({ message: `Delete the rule to ${rule.action} ${rule.cidr}?`, confirmLabel: 'Delete rule',
      danger: true }))) return;
    const send = force => api(`/api/admin/ip-rules/${encodeURIComponent(rule.id)}`, { method: 'DELETE', query: force ? { force: 'true' } : undefined });
    await busy(button, async () => {
      try {
        await send(false);
      } catch (err) {
        if (offerForce(error, err, 'Delete anyway', async () => { await send(true); await load(); })) return;
        throw err;
      }
      if (mode.editing && mode.editing.id === rule.id) mode.reset();
      await load();
    }, error);
  }

  async function load() {
    try {
      const found = await api('/api/admin/ip-rules');
      const columns = [
        { label: 'Action', value: r => h('span', { class: `badge ${r.action === 'allow' ? 'ok' : 'bad'}` }, r.action) },
        { label: 'Network', value: r => h('code', {}, r.cidr) },
        { label: 'Note', value: r => r.note || '' },
        { label: 'Changed', value: r => fmt.time(r.updatedAt) },
        {
          label: 'Actions', value: r => h('div', { class: 'actions tight' },
            h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit rule ${r.action} ${r.cidr}`, onclick: () => edit(r) }, 'Edit'),
            h('button', { type: 'button', class: 'danger', 'aria-label': `Delete rule ${r.action} ${r.cidr}`,
              onclick: e => remove(r, e.currentTarget) }, 'Delete')),
        },
      ];
      render(listBox,
        h('p', { class: 'muted' }, 'Your address: ', h('code', {}, found.yourAddress),
          '. With any allow rule, only allowed networks may call the hub; deny rules always apply.'),
        table(columns, found.rules, { empty: 'No IP rules: every address may call the hub.', caption: 'IP rules' }));
    } catch (e) {
      showError(listBox, e);
    }
  }
  return { element: h('section', { class: 'card', 'aria-labelledby': 'ip-h' }, h('h2', { id: 'ip-h' }, 'IP rules'), listBox, error, form), load };
}

// ---- Limits --------------------------------------------------------------------------------------------------
function limitsCard() {
  const editor = limitsEditor();
  return {
    element: h('section', { class: 'card', 'aria-labelledby': 'limits-h' }, h('h2', { id: 'limits-h' }, 'Limits'),
      h('p', { class: 'muted' }, 'Rate limits and quotas on users, access keys, apps and models. A call over any of them is refused.'),
      editor.element),
    load: editor.load,
  };
}

const status = h('div', { class: 'visually-hidden', role: 'status' });
function announce(text) {
  status.textContent = text;
}

const sections = [billingCard(), playgroundCard(), ipRulesCard(), limitsCard()];
render(app(), sections.map(s => s.element), status);
await Promise.all(sections.map(s => s.load()));
ready();
