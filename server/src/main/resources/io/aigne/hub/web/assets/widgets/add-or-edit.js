// The mode of a form that adds an item, or, after the item's Edit button, saves that item instead: its legend and
// submit button say which, and Cancel (shown only while editing) clears the form back to adding. The IP rules and
// limits editors use it.
import { h } from '../hub.js';

/**
 * `adding`: the legend while adding; `add` / `save`: the submit button's label while adding / editing. Put `legend`,
 * `submit` and `cancel` into the form; `editing` is the item being edited, or null.
 */
export function addOrEdit({ adding, add, save }) {
  const legend = h('legend', {}, adding);
  const submit = h('button', { type: 'submit' }, add);
  const cancel = h('button', { type: 'button', class: 'secondary', hidden: true, onclick: () => mode.reset() }, 'Cancel');
  const mode = {
    legend,
    submit,
    cancel,
    editing: null,
    /** Back to adding, with the form cleared. */
    reset() {
      mode.editing = null;
      submit.form?.reset();
      legend.textContent = adding;
      submit.textContent = add;
      cancel.hidden = true;
    },
    /** Editing `item`; the caller fills the fields. */
    edit(item, legendText) {
      mode.editing = item;
      legend.textContent = legendText;
      submit.textContent = save;
      cancel.hidden = false;
    },
  };
  return mode;
}
