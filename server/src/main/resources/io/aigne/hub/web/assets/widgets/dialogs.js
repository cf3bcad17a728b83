// Modal dialogs shared by the console and playground pages: a yes/no confirmation and a form that stays open,
// showing the API's refusal, until its work succeeds. Both are native <dialog>s (focus trapped, Escape cancels).
import { h, busy } from '../hub.js';
import { offerForce } from './lock-out.js';

let dialogCount = 0;

/**
 * Opens `content` in a modal <dialog> named by `label` (its first element: a title or the question itself). Once
 * closed, the dialog leaves the page and focus goes back to the control that opened it.
 */
function openDialog(label, ...content) {
  label.id = `dialog-label-${++dialogCount}`;
  const opener = document.activeElement;
  const dialog = h('dialog', { 'aria-labelledby': label.id }, label, ...content);
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener && opener.isConnected) opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/**
 * Asks before something that cannot be undone; answers true when the user confirmed, false on Cancel or Escape.
 * Without a `title` the `message` is the question and names the dialog. For `danger` actions focus starts on
 * Cancel, so a stray Enter does not destroy anything.
 */
export function confirmDialog({ title = null, message = null, confirmLabel = 'Confirm', danger = false, details = null }) {
  return new Promise(resolve => {
    let confirmed = false;
    const yes = h('button', { type: 'button', class: danger ? 'danger' : null,
      onclick: () => { confirmed = true; dialog.close(); } }, confirmLabel);
    const no = h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel');
    const text = message ? h('p', {}, message) : null;
    const dialog = title
      ? openDialog(h('h2', {}, title), text, details, h('div', { class: 'actions' }, yes, no))
      : openDialog(text, details, h('div', { class: 'actions' }, yes, no));
    dialog.addEventListener('close', () => resolve(confirmed));
    (danger ? no : yes).focus();
  });
}

/**
 * A form in a dialog: `content` are its fields; `onSubmit(force)` does the work and may throw (an ApiError's message
 * is then shown inside the dialog, which stays open). With `forceLabel`, a refusal because the change would lock the
 * user out (see lock-out.js) is shown with a button of that label that runs `onSubmit(true)`. Answers what
 * onSubmit returned, or null when cancelled. Focus starts in the first field, its text selected.
 */
export function formDialog({ title, content, submitLabel = 'Save', forceLabel = null, onSubmit }) {
  return new Promise(resolve => {
    let result = null;
    const errorEl = h('div', { 'aria-live': 'assertive' });
    const submit = h('button', { type: 'submit' }, submitLabel);
    const attempt = async force => {
      const answer = await onSubmit(force);
      result = answer === undefined ? true : answer;
      dialog.close();
    };
    const form = h('form', {
      novalidate: true,
      onsubmit: async e => {
        e.preventDefault();
        await busy(submit, async () => {
          try {
            await attempt(false);
          } catch (err) {
            if (forceLabel && offerForce(errorEl, err, forceLabel, () => attempt(true))) return;
            throw err;
          }
        }, errorEl);
      },
    }, content, errorEl, h('div', { class: 'actions' }, submit,
      h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel')));
    const dialog = openDialog(h('h2', {}, title), form);
    dialog.addEventListener('close', () => resolve(result));
    const first = form.querySelector('input:not([type=hidden]), select, textarea');
    first?.focus();
    if (first instanceof HTMLInputElement) first.select();
  });
}
