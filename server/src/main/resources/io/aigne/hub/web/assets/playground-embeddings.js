// The embeddings tester: one text per line through an embedding model (POST /api/v2/embeddings), showing the
// vectors' size and first values, how alike the texts are (cosine similarity, every pair), tokens and latency.
import { api, app, field, fmt, h, ready, render, showError, table } from './hub.js';
import { modelPicker } from './widgets/models.js';
import { openPlayground } from './widgets/playground-access.js';
import { statsLine } from './widgets/stats.js';

const MAX_LINES = 20;
const FIRST_VALUES = 5;
const root = app();
const picker = modelPicker('embedding');
const lines = h('textarea', { name: 'inputs', rows: 5, required: true,
  placeholder: 'The cat sat on the mat.\nA kitten rests on a rug.\nStock markets fell today.' });
const embed = h('button', { type: 'submit' }, 'Embed');
const errors = h('div');
const output = h('div', { class: 'embedding-output', 'aria-live': 'polite' });
const form = h('form', { class: 'card', onsubmit: e => { e.preventDefault(); run(); } },
  picker.element, field('Texts', lines, `One text per line, up to ${MAX_LINES}.`),
  h('div', { class: 'actions' }, embed), errors);

async function run() {
  render(errors);
  const texts = lines.value.split('\n').map(l => l.trim()).filter(Boolean);
  if (!picker.select.value) return showError(errors, new Error('Model: pick an embedding model first.'));
  if (texts.length === 0) return showError(errors, new Error('Texts: type at least one line.'));
  if (texts.length > MAX_LINES) return showError(errors, new Error(`Texts: at most ${MAX_LINES} lines at once.`));
  const model = picker.select.value;
  embed.disabled = true;
  const started = performance.now();
  try {
    const out = await api('/api/v2/embeddings', { method: 'POST',
      body: { input: { input: texts, modelOptions: { model } } } });
    const totalMs = performance.now() - started;
    const vectors = out.embeddings || [];
    const tokens = out.usage ? out.usage.inputTokens : null;
    const credits = out.usage ? out.usage.aigneHubCredits : null;
    show(texts, vectors, { model: out.modelWithProvider || model, inputTokens: tokens, outputTokens: 0, credits,
      totalMs });
  } catch (e) {
    showError(errors, e);
  } finally {
    embed.disabled = false;
  }
}

function show(texts, vectors, stats) {
  const dims = vectors.length ? vectors[0].length : 0;
  const label = i => `#${i + 1}`;
  render(output,
    h('div', { class: 'cards' },
      h('div', { class: 'stat' }, h('div', { class: 'label' }, 'Dimensions'), h('div', { class: 'value' }, fmt.int(dims))),
      h('div', { class: 'stat' }, h('div', { class: 'label' }, 'Inputs'), h('div', { class: 'value' }, fmt.int(vectors.length))),
      h('div', { class: 'stat' }, h('div', { class: 'label' }, 'Tokens'), h('div', { class: 'value' }, fmt.int(stats.inputTokens))),
      h('div', { class: 'stat' }, h('div', { class: 'label' }, 'Latency'), h('div', { class: 'value' }, fmt.ms(stats.totalMs)))),
    statsLine(stats),
    h('h2', {}, 'Vectors'),
    table([
      { label: 'Input', value: r => `${label(r.i)} ${r.text}` },
      { label: `First ${FIRST_VALUES} values`, value: r => h('span', { class: 'mono' },
        r.vector.slice(0, FIRST_VALUES).map(v => v.toFixed(4)).join(', ') + (r.vector.length > FIRST_VALUES ? ', …' : '')) },
    ], vectors.map((vector, i) => ({ i, text: texts[i], vector })), { caption: 'Embedding vectors' }),
    h('h2', {}, 'Cosine similarity'),
    vectors.length < 2 ? h('p', { class: 'muted' }, 'Add a second line to compare texts.')
      : table([{ label: '', value: r => label(r.i) }].concat(vectors.map((_, j) => ({
        label: label(j), numeric: true, value: r => similarity(r.vector, vectors[j]).toFixed(3),
      }))), vectors.map((vector, i) => ({ i, vector })), { caption: 'Cosine similarity between the inputs' }));
}

function similarity(a, b) {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < a.length; k++) {
    dot += a[k] * b[k];
    na += a[k] * a[k];
    nb += b[k] * b[k];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

async function start() {
  render(root, form, output);
  await openPlayground(errors, form, () => picker.load());
}

start().finally(ready);
