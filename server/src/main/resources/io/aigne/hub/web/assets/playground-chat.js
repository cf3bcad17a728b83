// The chat playground: pick a model, set a system prompt and parameters, and chat. Replies stream in over the AIGNE
// door (POST /api/v2/chat with SSE: its final usage carries the call's credits as aigneHubCredits) and are shown as
// markdown as they arrive. Each conversation is saved for the user after every finished or stopped reply.
import { ApiError, api, app, field, h, library, notice, ready, render, sessionHeaders, showError } from './hub.js';
import { modelPicker } from './widgets/models.js';
import { openPlayground } from './widgets/playground-access.js';
import { readEvents } from './widgets/sse.js';
import { statsLine } from './widgets/stats.js';
import { conversationList } from './widgets/conversation-list.js';

const root = app();
const picker = modelPicker('chat');
const systemPrompt = h('textarea', { name: 'systemPrompt', rows: 2, maxlength: 20000,
  placeholder: 'You are a helpful assistant.' });
const temperature = h('input', { type: 'number', name: 'temperature', min: 0, max: 2, step: 0.1, inputmode: 'decimal',
  placeholder: 'model default' });
const maxTokens = h('input', { type: 'number', name: 'maxTokens', min: 1, max: 200000, step: 1, inputmode: 'numeric',
  placeholder: 'model default' });
const transcript = h('div', { class: 'transcript', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation',
  tabindex: 0 });
const errors = h('div', { class: 'chat-errors' });
const message = h('textarea', { name: 'message', rows: 3, required: true,
  placeholder: 'Ask anything. Enter sends, Shift+Enter starts a new line.' });
const send = h('button', { type: 'submit' }, 'Send');
const stop = h('button', { type: 'button', class: 'secondary', disabled: true, onclick: () => controller?.abort() },
  'Stop');
const composer = h('form', { class: 'composer', onsubmit: e => { e.preventDefault(); sendMessage(); } },
  field('Message', message, 'Enter sends; Shift+Enter starts a new line.'), h('div', { class: 'actions' }, send, stop));

/** The open conversation: id null until its first reply is saved. */
let current = { id: null, title: null, messages: [] };
let controller = null;

const list = conversationList({
  onOpen: id => openConversation(id),
  onNew: () => newChat(),
  onDeleted: id => { if (id === current.id) newChat(); },
  currentId: () => current.id,
});

message.addEventListener('keydown', e => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    composer.requestSubmit();
  }
});

function newChat() {
  if (controller) controller.abort();
  current = { id: null, title: null, messages: [] };
  systemPrompt.value = '';
  history.replaceState(null, '', location.pathname);
  drawTranscript();
  list.mark(null);
  render(errors);
  message.focus();
}

async function openConversation(id) {
  if (controller) controller.abort();
  render(errors);
  try {
    const c = await api(`/api/playground/conversations/${encodeURIComponent(id)}`);
    current = { id: c.id, title: c.title, messages: c.messages };
    systemPrompt.value = c.systemPrompt || '';
    if (c.model && !picker.choose(c.model)) {
      errors.append(notice(`This conversation used ${c.model}, which is not available now; replies will use `
        + `${picker.select.value || 'another model'}.`));
    }
    history.replaceState(null, '', `${location.pathname}?c=${encodeURIComponent(c.id)}`);
    drawTranscript();
    list.mark(c.id);
  } catch (e) {
    showError(errors, e);
  }
}

function drawTranscript() {
  render(transcript, current.messages.length === 0
    ? h('p', { class: 'muted empty-chat' }, 'No messages yet. Pick a model and say something.')
    : current.messages.map(m => bubble(m).element));
}

/** A message as shown: the user's as plain text, a reply as sanitised markdown with its stats below. */
function bubble(m) {
  const content = h('div', { class: 'msg-content' });
  const stats = h('div', { class: 'msg-stats' });
  const element = h('article', { class: `msg ${m.role}` },
    h('div', { class: 'msg-role' }, m.role === 'user' ? 'You' : 'Assistant'), content, stats);
  const view = {
    element,
    setText(text) {
      if (m.role === 'user') content.textContent = text;
      else renderMarkdown(content, text);
    },
    setStats(s) { render(stats, s ? statsLine(s) : null); },
  };
  view.setText(m.content);
  view.setStats(m.stats);
  return view;
}

/** marked → DOMPurify → the page; code blocks highlighted. The text is the model's: it is never trusted as HTML. */
function renderMarkdown(el, text) {
  markdownText.set(el, text);
  const { DOMPurify, marked, hljs } = window;
  if (!DOMPurify || !marked || !hljs) {
    // Until the libraries have run (they load alongside the page), the text shows as it is, then as markdown.
    el.textContent = text || '';
    markdownLibraries.then(() => renderMarkdown(el, markdownText.get(el)));
    return;
  }
  el.innerHTML = DOMPurify.sanitize(marked.parse(text || '', { gfm: true, breaks: true }));
  el.querySelectorAll('pre code').forEach(code => hljs.highlightElement(code));
}
/** The latest text of each reply, so a render that waited for the libraries shows what streamed in meanwhile. */
const markdownText = new WeakMap();
const markdownLibraries = Promise.all(['DOMPurify', 'marked', 'hljs'].map(library));

function numberOrUndefined(input, label, { integer = false } = {}) {
  const raw = input.value.trim();
  if (raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || (input.min !== '' && n < Number(input.min))
      || (input.max !== '' && n > Number(input.max))) {
    throw new Error(`${label} must be ${integer ? 'a whole number' : 'a number'} from ${input.min} to ${input.max}, `
      + 'or empty for the model\'s default.');
  }
  return n;
}

async function sendMessage() {
  if (controller) return;
  render(errors);
  const text = message.value.trim();
  const model = picker.select.value;
  let options;
  try {
    if (!model) throw new Error('Model: pick a model first.');
    if (!text) throw new Error('Message: type a message first.');
    options = { model, temperature: numberOrUndefined(temperature, 'Temperature'),
      maxTokens: numberOrUndefined(maxTokens, 'Max tokens', { integer: true }) };
  } catch (e) {
    showError(errors, e);
    return;
  }
  if (current.messages.length === 0) transcript.replaceChildren();
  const userMessage = { role: 'user', content: text };
  current.messages.push(userMessage);
  const userView = bubble(userMessage);
  transcript.append(userView.element);
  const reply = { role: 'assistant', content: '' };
  const replyView = bubble(reply);
  replyView.element.classList.add('streaming');
  replyView.element.setAttribute('aria-busy', 'true');
  transcript.append(replyView.element);
  message.value = '';
  scrollToEnd(true);

  controller = new AbortController();
  setStreaming(true);
  const started = performance.now();
  let firstTokenMs = null;
  let usage = null;
  let answeredModel = null;
  let drawPending = false;
  const redraw = () => {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      const stick = nearEnd();
      replyView.setText(reply.content);
      scrollToEnd(stick);
    });
  };
  let stopped = false;
  let failure = null;
  try {
    const res = await fetch('/api/v2/chat', {
      method: 'POST', credentials: 'same-origin', signal: controller.signal,
      headers: sessionHeaders({ 'Content-Type': 'application/json', Accept: 'text/event-stream' }),
      body: JSON.stringify({ input: { messages: wireMessages(), modelOptions: options }, agent: '$CHAT_MODEL',
        options: { streaming: true } }),
    });
    if (!res.ok) throw await refusal(res);
    await readEvents(res, ({ event, data }) => {
      const payload = JSON.parse(data);
      if (event === 'error') throw new Error(payload.message || 'the model call failed');
      const delta = payload.delta || {};
      const piece = delta.text && delta.text.text;
      if (piece) {
        if (firstTokenMs === null) firstTokenMs = performance.now() - started;
        reply.content += piece;
        redraw();
      }
      const json = delta.json || {};
      if (json.usage) usage = json.usage;
      if (json.modelWithProvider) answeredModel = json.modelWithProvider;
      else if (json.model && !answeredModel) answeredModel = json.model;
      // The last event is the whole output: its text replaces what was put together from the pieces.
      if (typeof json.text === 'string') {
        reply.content = json.text;
        redraw();
      }
    });
  } catch (e) {
    if (e.name === 'AbortError') stopped = true;
    else failure = e;
  }
  const totalMs = performance.now() - started;
  controller = null;
  setStreaming(false);
  replyView.element.classList.remove('streaming');
  replyView.element.removeAttribute('aria-busy');

  if (failure && !reply.content) {
    // Nothing came back: take the message back into the box so it can be sent again.
    current.messages.pop();
    userView.element.remove();
    replyView.element.remove();
    if (current.messages.length === 0) drawTranscript();
    message.value = text;
    showError(errors, failure);
    return;
  }
  if (failure) showError(errors, failure);
  reply.stats = { model: answeredModel || model, firstTokenMs, totalMs, stopped: stopped || !!failure };
  if (usage) {
    reply.stats.inputTokens = usage.inputTokens;
    reply.stats.outputTokens = usage.outputTokens;
    if (usage.aigneHubCredits !== undefined) reply.stats.credits = String(usage.aigneHubCredits);
  }
  current.messages.push(reply);
  replyView.setText(reply.content);
  replyView.setStats(reply.stats);
  scrollToEnd(nearEnd());
  await save(model);
}

/** The conversation as the AIGNE ChatModel input: the system prompt first, replies under the role "agent". */
function wireMessages() {
  const out = [];
  if (systemPrompt.value.trim()) out.push({ role: 'system', content: systemPrompt.value });
  for (const m of current.messages) {
    if (m.role === 'assistant' && !m.content) continue;
    out.push({ role: m.role === 'assistant' ? 'agent' : 'user', content: m.content });
  }
  return out;
}

async function refusal(res) {
  const body = await res.json().catch(() => null);
  const e = body && body.error;
  const text = typeof e === 'string' ? e : e && e.message ? e.message : `The hub answered ${res.status}.`;
  return new ApiError(res.status, text, body);
}

async function save(model) {
  const body = { model, systemPrompt: systemPrompt.value, messages: current.messages };
  try {
    const saved = current.id
      ? await api(`/api/playground/conversations/${encodeURIComponent(current.id)}`, { method: 'PUT', body })
      : await api('/api/playground/conversations', { method: 'POST', body });
    const isNew = !current.id;
    current.id = saved.id;
    current.title = saved.title;
    if (isNew) history.replaceState(null, '', `${location.pathname}?c=${encodeURIComponent(saved.id)}`);
    await list.reload();
  } catch (e) {
    errors.append(notice(`The reply is shown but could not be saved: ${e.message}`, 'error'));
  }
}

function setStreaming(on) {
  send.disabled = on;
  stop.disabled = !on;
  send.textContent = on ? 'Replying…' : 'Send';
}

function nearEnd() {
  return transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 48;
}

function scrollToEnd(stick) {
  if (stick) transcript.scrollTop = transcript.scrollHeight;
}

async function start() {
  const settings = h('details', { class: 'chat-settings card', open: true },
    h('summary', {}, 'Model and parameters'),
    h('div', { class: 'row' }, picker.element, h('div', { class: 'shrink' }, field('Temperature', temperature)),
      h('div', { class: 'shrink' }, field('Max tokens', maxTokens))),
    field('System prompt', systemPrompt, 'Sent first in every request of this conversation.'));
  const chat = h('section', { class: 'chat-main', 'aria-label': 'Chat' }, settings, transcript, errors, composer);
  render(root, h('div', { class: 'playground-chat' }, chat, list.element));
  drawTranscript();
  await openPlayground(errors, composer, async () => {
    await Promise.all([picker.load(), list.reload()]);
    const wanted = new URLSearchParams(location.search).get('c');
    if (wanted) await openConversation(wanted);
  });
}

start().finally(ready);
