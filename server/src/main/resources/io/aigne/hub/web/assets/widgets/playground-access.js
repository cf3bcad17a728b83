// Whether the signed-in user may call models from the playground (guests only when an admin allows it). The hub
// refuses the calls anyway; this lets the pages say so up front instead of after a first try.
import { api, notice, showError } from '../hub.js';

/** Answers true, or false after putting the hub's explanation into `el`. */
export async function playgroundOpen(el) {
  const access = await api('/api/playground/access');
  if (access.allowed) return true;
  el.replaceChildren(notice(`You cannot use the playground: ${access.message}.`, 'error'));
  return false;
}

/**
 * What a playground page does once drawn: when the user may not use the playground, explains why in `errorsEl` and
 * disables the controls inside `controls`; otherwise runs `load()` (models, saved conversations…). A failure of
 * either is shown in `errorsEl`.
 */
export async function openPlayground(errorsEl, controls, load) {
  try {
    if (!(await playgroundOpen(errorsEl))) {
      controls.querySelectorAll('textarea, input, select, button').forEach(c => { c.disabled = true; });
      return;
    }
    await load();
  } catch (e) {
    showError(errorsEl, e);
  }
}
