// A yes/no question in a modal <dialog>, for actions that cannot be undone (revoke a key, delete a rule).
import { h } from '../hub.js';

/** Asks `question`; resolves true when the person confirms, false on Cancel or Escape. Focus starts on Cancel. */
export function confirmAction(question, confirmLabel = 'Confirm') {
  return new Promise(resolve => {
    const text = h('p', { id: `confirm-${Date.now()}` }, question);
    const yes = h('button', { type: 'button', class: 'danger' }, confirmLabel);
    const no = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const dialog = h('dialog', { 'aria-labelledby': text.id }, text, h('div', { class: 'actions' }, yes, no));
    const opener = document.activeElement;
    const finish = answer => {
      dialog.close();
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(answer);
    };
    yes.addEventListener('click', () => finish(true));
    no.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', e => {
      e.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}
