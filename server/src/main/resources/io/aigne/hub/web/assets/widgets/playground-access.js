// Whether the signed-in user may call models from the playground (guests only when an admin allows it). The hub
// refuses the calls anyway; this lets the pages say so up front instead of after a first try.
import { api, notice } from '../hub.js';

/** Answers true, or false after putting the hub's explanation into `el`. */
export async function playgroundOpen(el) {
  const access = await api('/api/playground/access');
  if (access.allowed) return true;
  el.replaceChildren(notice(`You cannot use the playground: ${access.message}.`, 'error'));
  return false;
}
