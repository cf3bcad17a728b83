// Modal dialogs shared by the console pages: a yes/no confirmation and a form that stays open, showing the API's
// refusal, until its work succeeds. Both are native <dialog>s (focus trapped, Escape cancels).
import { h, busy } from '../hub.js';

let dialogCount = 0;

function openDialog(title, ...content) {
  const titleId = `dialog-title-${++dialogCount}`;
  const dialog = h('dialog', { 'aria-labelledby': titleId }, h('h2', { id: titleId }, title), ...content);
  document.body.append(dialog);
  return dialog;
}

/** Asks before something that cannot be undone; answers true when the user confirmed. */
export function confirmDialog({ title, message, confirmLabel = 'Confirm', danger = false, details = null }) {
  return new Promise(resolve => {
    let confirmed = false;
    const yes = h('button', { type: 'button', class: danger ? 'danger' : null,
      onclick: () => { confirmed = true; dialog.close(); } }, confirmLabel);
    const dialog = openDialog(title, message ? h('p', {}, message) : null, details,
      h('div', { class: 'actions' }, yes,
        h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel')));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(confirmed); });
    dialog.showModal();
    yes.focus();
  });
}

/**
 * A form in a dialog: `content` are its fields; `onSubmit` does the work and may throw (an ApiError's message is
 * then shown inside the dialog, which stays open). Answers what onSubmit returned, or null when cancelled.
 */
export function formDialog({ title, content, submitLabel = 'Save', onSubmit }) {
  return new Promise(resolve => {
    let result = null;
    const errorEl = h('div', { 'aria-live': 'assertive' });
    const submit = h('button', { type: 'submit' }, submitLabel);
    const form = h('form', {
      novalidate: true,
      onsubmit: async e => {
        e.preventDefault();
        await busy(submit, async () => {
          const answer = await onSubmit();
          result = answer === undefined ? true : answer;
          dialog.close();
        }, errorEl);
      },
    }, content, errorEl, h('div', { class: 'actions' }, submit,
      h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel')));
    const dialog = openDialog(title, form);
    dialog.addEventListener('close', () => { dialog.remove(); resolve(result); });
    dialog.showModal();
    form.querySelector('input:not([type=hidden]), select, textarea')?.focus();
  });
}
