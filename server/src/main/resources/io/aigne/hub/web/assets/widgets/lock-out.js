// The hub refuses a change of IP rules that would refuse the caller's own address (409 would_lock_out) unless it
// is repeated with ?force=true. This shows the hub's message with a button that does exactly that.
import { h, render, busy, ApiError } from '../hub.js';

export function isLockOut(err) {
  return err instanceof ApiError && err.status === 409 && !!err.body && !!err.body.error
    && err.body.error.code === 'would_lock_out';
}

/**
 * If `err` is a lock-out refusal, shows it in `errorEl` with a `label` button running `forced()` (the same change
 * with force) and answers true; otherwise answers false and the caller handles the error.
 */
export function offerForce(errorEl, err, label, forced) {
  if (!isLockOut(err)) return false;
  const button = h('button', { type: 'button', class: 'danger', onclick: () => busy(button, forced, errorEl) }, label);
  render(errorEl, h('div', { class: 'notice error', role: 'alert' }, h('p', {}, err.message), button));
  return true;
}
