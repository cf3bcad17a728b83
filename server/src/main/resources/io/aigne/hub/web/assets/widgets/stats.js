// The line under a playground result: model, tokens, credits and latency, in one shared format.
import { fmt, h } from '../hub.js';

/** stats: {model, inputTokens, outputTokens, credits, firstTokenMs, totalMs, stopped}; missing parts are left out. */
export function statsLine(stats) {
  const parts = [];
  if (stats.model) parts.push(h('span', { class: 'stat-model' }, stats.model));
  if (stats.inputTokens !== undefined && stats.inputTokens !== null) {
    parts.push(h('span', {}, `${fmt.int(stats.inputTokens)} in / ${fmt.int(stats.outputTokens)} out tokens`));
  }
  if (stats.credits !== undefined && stats.credits !== null) {
    parts.push(h('span', {}, `${fmt.credits(stats.credits)} credits`));
  }
  if (stats.firstTokenMs !== undefined && stats.firstTokenMs !== null) {
    parts.push(h('span', {}, `first token ${fmt.ms(stats.firstTokenMs)}`));
  }
  if (stats.totalMs !== undefined && stats.totalMs !== null) parts.push(h('span', {}, `total ${fmt.ms(stats.totalMs)}`));
  if (stats.stopped) parts.push(h('span', { class: 'badge warn' }, 'stopped'));
  return h('div', { class: 'result-stats muted' }, parts);
}
