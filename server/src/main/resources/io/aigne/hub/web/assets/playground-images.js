// Image generation: a prompt, an image model, size and count, through the AIGNE door (POST /api/v2/image). Results
// collect in a gallery, newest first, for as long as the page stays open (nothing is stored for the user).
import { ApiError, api, app, field, fmt, h, ready, render, showError } from './hub.js';
import { modelPicker } from './widgets/models.js';
import { openPlayground } from './widgets/playground-access.js';
import { statsLine } from './widgets/stats.js';

const root = app();
const picker = modelPicker('image_generation');
const prompt = h('textarea', { name: 'prompt', rows: 3, required: true, maxlength: 4000,
  placeholder: 'A lighthouse on a cliff at dawn, watercolour' });
const size = h('select', { name: 'size' }, ['', '256x256', '512x512', '1024x1024', '1024x1536', '1536x1024',
  '1792x1024', '1024x1792'].map(s => h('option', { value: s }, s || 'model default')));
const count = h('input', { type: 'number', name: 'n', min: 1, max: 4, step: 1, value: 1, inputmode: 'numeric' });
const generate = h('button', { type: 'submit' }, 'Generate');
const errors = h('div');
const status = h('p', { class: 'muted', 'aria-live': 'polite' });
const gallery = h('div', { class: 'gallery', 'aria-label': 'Generated images' });
const form = h('form', { class: 'card', onsubmit: e => { e.preventDefault(); run(); } },
  field('Prompt', prompt),
  h('div', { class: 'row' }, picker.element, field('Size', size), h('div', { class: 'shrink' },
    field('Count', count, '1 to 4'))),
  h('div', { class: 'actions' }, generate), errors);

async function run() {
  render(errors);
  const text = prompt.value.trim();
  const n = Number(count.value);
  if (!picker.select.value) return showError(errors, new Error('Model: pick an image model first.'));
  if (!text) return showError(errors, new Error('Prompt: describe the image to make.'));
  if (!Number.isInteger(n) || n < 1 || n > 4) return showError(errors, new Error('Count must be a whole number from 1 to 4.'));
  const model = picker.select.value;
  const input = { prompt: text, n, outputFileType: 'url', modelOptions: { model } };
  if (size.value) input.size = size.value;
  generate.disabled = true;
  render(status, `Generating ${n === 1 ? 'an image' : `${n} images`} with ${model}…`);
  const started = performance.now();
  try {
    const out = await api('/api/v2/image', { method: 'POST', body: { input, agent: '$IMAGE_MODEL' } });
    const totalMs = performance.now() - started;
    const images = out.images || [];
    // What the hub charged, at the size and quality asked (only when credit billing is on).
    const credits = out.usage ? out.usage.aigneHubCredits : null;
    gallery.prepend(result(text, out.modelWithProvider || model, images, { totalMs, credits }));
    render(status, `${images.length === 1 ? 'One image' : `${images.length} images`} generated in ${fmt.ms(totalMs)}.`);
  } catch (e) {
    render(status);
    showError(errors, e instanceof ApiError || e instanceof Error ? e : new Error(String(e)));
  } finally {
    generate.disabled = false;
  }
}

function result(text, model, images, { totalMs, credits }) {
  return h('figure', { class: 'gallery-item card' },
    h('div', { class: 'gallery-images' }, images.map((img, i) => {
      const src = img.url || blobUrl(img.data, img.mimeType || 'image/png');
      return h('a', { href: src, target: '_blank', rel: 'noopener', 'aria-label': `Open image ${i + 1} in a new tab` },
        h('img', { src, alt: text, loading: 'lazy', width: 256, height: 256 }));
    })),
    h('figcaption', {}, h('p', { class: 'gallery-prompt' }, text),
      statsLine({ model, credits, totalMs })));
}

/** Inline bytes as a blob: URL, which (unlike a data: URL) a new tab may open. */
function blobUrl(base64, type) {
  const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type }));
}

async function start() {
  render(root, form, status, h('h2', {}, 'Gallery'), gallery);
  await openPlayground(errors, form, () => picker.load());
}

start().finally(ready);
