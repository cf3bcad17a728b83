// Stat cards and "top N" tables for the usage summary API's answers (/api/usage/summary), shared by the Overview
// and Usage pages. Success rates arrive in percent, credits as decimal strings, timings in milliseconds.
import { fmt, h, table } from '../hub.js';

function stat(label, value) {
  return h('div', { class: 'stat' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value));
}

/** The cards of a summary's totals: calls, success rate, credits, tokens, latency and TTFB p50 / p95. */
export function statCards(t) {
  const rate = t.calls === 0 ? '–' : `${Number(t.successRate).toFixed(1)} %`;
  return [
    stat('Calls', fmt.int(t.calls)),
    stat('Success rate', rate),
    stat('Credits spent', fmt.credits(t.totalCredits)),
    stat('Tokens', fmt.int(t.totalTokens)),
    stat('Latency p50 / p95', `${fmt.ms(t.latency.p50Ms)} / ${fmt.ms(t.latency.p95Ms)}`),
    stat('First byte p50 / p95 (streams)', `${fmt.ms(t.ttfb.p50Ms)} / ${fmt.ms(t.ttfb.p95Ms)}`),
  ];
}

/** The summary's top groups as a table; `label` names the group column (Model, Provider, User, App, Type). */
export function topTable(label, summary) {
  return table([
    { label, value: r => r.name ? `${r.name} (${r.key})` : (r.key || '(none)') },
    { label: 'Calls', numeric: true, value: r => fmt.int(r.calls) },
    { label: 'Share', numeric: true, value: r => `${Number(r.share).toFixed(1)} %` },
    { label: 'Success', numeric: true, value: r => `${Number(r.successRate).toFixed(1)} %` },
    { label: 'Tokens', numeric: true, value: r => fmt.int(r.totalTokens) },
    { label: 'Credits', numeric: true, value: r => fmt.credits(r.totalCredits) },
    { label: 'Latency p95', numeric: true, value: r => fmt.ms(r.latency.p95Ms) },
  ], summary.top, { empty: 'No calls in this range.', caption: `Top by ${label.toLowerCase()}` });
}
