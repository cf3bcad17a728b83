// My access keys: every signed-in user's own keys. Limits on keys are set by owners and admins, so here they are
// shown read-only (from /api/user/limits?key=…, which answers only for the user's own keys).
import { api, app, h, render, ready, isAdmin } from './hub.js';
import { accessKeysPanel } from './widgets/access-keys.js';

const base = '/api/user/access-keys';
const panel = accessKeysPanel({
  paths: { list: base, create: base, key: id => `${base}/${encodeURIComponent(id)}` },
  limitsOf: key => api('/api/user/limits', { query: { key: key.id } })
    .then(r => r.limits.filter(l => l.scope === 'key')),
  limitsNote: isAdmin
    ? 'Limits on a key are set under Settings → Limits (applies to: access key, subject: the key’s id).'
    : 'Limits on a key are set by an owner or admin of this hub; you can see them here but not change them.',
  showIds: isAdmin,
});

render(app(),
  h('p', { class: 'muted' }, 'Programs call the hub with an access key: send it as ',
    h('code', {}, 'Authorization: Bearer <secret>'), '. Revoke a key as soon as it is no longer needed.'),
  panel.element);
await panel.load();
ready();
