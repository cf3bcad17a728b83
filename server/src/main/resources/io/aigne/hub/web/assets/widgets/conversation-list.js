// The saved conversations of the chat playground: newest first, each with open, rename and delete, and "New chat".
import { api, field, h, notice, render, showError } from '../hub.js';
import { confirmDialog, formDialog } from './dialogs.js';

/** handlers: {onOpen(id), onNew(), onDeleted(id), currentId()}. Answers {element, reload(), mark(id)}. */
export function conversationList({ onOpen, onNew, onDeleted, currentId }) {
  const items = h('ul', { class: 'conversation-items' });
  const status = h('div', { 'aria-live': 'polite' });
  const element = h('aside', { class: 'conversations card', 'aria-label': 'Saved conversations' },
    h('div', { class: 'conversations-head' }, h('h2', {}, 'Conversations'),
      h('button', { type: 'button', class: 'secondary', onclick: onNew }, 'New chat')),
    status, items);

  async function reload() {
    try {
      const { conversations } = await api('/api/playground/conversations');
      render(items, conversations.length === 0 ? h('li', { class: 'muted' }, 'No saved conversations yet.')
        : conversations.map(item));
      mark(currentId());
    } catch (e) {
      showError(status, e);
    }
  }

  function item(c) {
    return h('li', { dataset: { id: c.id } },
      h('button', { type: 'button', class: 'conversation-open', title: c.title, onclick: () => onOpen(c.id) }, c.title),
      h('div', { class: 'conversation-actions' },
        h('button', { type: 'button', class: 'secondary small', 'aria-label': `Rename “${c.title}”`,
          onclick: () => openRename(c) }, 'Rename'),
        h('button', { type: 'button', class: 'secondary small', 'aria-label': `Delete “${c.title}”`,
          onclick: () => remove(c) }, 'Delete')));
  }

  function mark(id) {
    items.querySelectorAll('li[data-id]').forEach(li => {
      const open = li.querySelector('.conversation-open');
      if (li.dataset.id === id) open.setAttribute('aria-current', 'true');
      else open.removeAttribute('aria-current');
    });
  }

  async function openRename(c) {
    const titleInput = h('input', { type: 'text', name: 'title', maxlength: 200, required: true, value: c.title });
    const title = await formDialog({
      title: 'Rename conversation',
      content: field('Title', titleInput),
      onSubmit: async () => {
        const wanted = titleInput.value.trim();
        if (!wanted) throw new Error('Title: type a title.');
        await api(`/api/playground/conversations/${encodeURIComponent(c.id)}`, { method: 'PUT', body: { title: wanted } });
        return wanted;
      },
    });
    if (!title) return;
    render(status, notice(`Renamed to “${title}”.`));
    await reload();
  }

  async function remove(c) {
    if (!(await confirmDialog({ message: `Delete the conversation “${c.title}”? This cannot be undone.`,
      confirmLabel: 'Delete conversation', danger: true }))) return;
    try {
      await api(`/api/playground/conversations/${encodeURIComponent(c.id)}`, { method: 'DELETE' });
      render(status, notice(`Deleted “${c.title}”.`));
      onDeleted(c.id);
      await reload();
    } catch (e) {
      showError(status, e);
    }
  }

  return { element, reload, mark };
}
