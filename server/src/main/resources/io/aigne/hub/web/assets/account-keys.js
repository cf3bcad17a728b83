// My access keys: every signed-in user's own keys, with the limits on each (from /api/user/limits?key=…, which
// answers only for the user's own keys). A user may cap their own keys; limits an admin set stay the admin's.
import { api, app, h, render, ready, isAdmin } from './hub.js';
import { accessKeysPanel } from './widgets/access-keys.js';

const base = '/api/user/access-keys';
const panel = accessKeysPanel({
  paths: { list: base, create: base, key: id => `${base}/${encodeURIComponent(id)}` },
  limitsOf: key => api('/api/user/limits', { query: { key: key.id } })
    .then(r => r.limits.filter(l => l.scope === 'key')),
  limitsNote: 'Limit a key to cap what a program may spend or send with it. Limits an owner or admin set on your '
    + 'keys are shown but can only be changed by them.',
  showIds: isAdmin,
  ownLimits: key => `${base}/${encodeURIComponent(key.id)}/limits`,
});

render(app(),
  h('p', { class: 'muted' }, 'Programs call the hub with an access key: send it as ',
    h('code', {}, 'Authorization: Bearer <secret>'), '. Revoke a key as soon as it is no longer needed.'),
  panel.element);
await panel.load();
ready();
