// Rates as people read them (credits per million tokens, per image, per second of video) and back: the hub keeps
// credits per token as exact decimal strings, so conversions shift the decimal point in the text, never through
// floating point.

const smallFormat = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 6 });
const largeFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 4 });

/** A credit amount (decimal string) for display: small amounts keep six significant digits. */
export function credits(value) {
  if (value === null || value === undefined || value === '') return '–';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  return (n !== 0 && Math.abs(n) < 1 ? smallFormat : largeFormat).format(n);
}

/** US dollars for display, with enough places for per-token-sized prices. */
export function usd(value) {
  if (value === null || value === undefined || value === '') return '–';
  const n = Number(value);
  return Number.isFinite(n) ? `$${(n !== 0 && Math.abs(n) < 1 ? smallFormat : largeFormat).format(n)}` : String(value);
}

/**
 * Moves the decimal point of a plain decimal string by `places` (positive: right), exactly. Text that is not a
 * plain non-negative decimal is answered unchanged, so the hub's own validation names the problem.
 */
export function shiftDecimal(text, places) {
  const s = String(text).trim();
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return s;
  let digits = (m[1] || '') + (m[2] || '');
  let point = (m[1] || '').length + places;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  } else if (point > digits.length) {
    digits = digits + '0'.repeat(point - digits.length);
  }
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const fraction = digits.slice(point).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** Credits per token → credits per million tokens (for a form field). */
export function perMillion(perToken) {
  return perToken === null || perToken === undefined ? '' : shiftDecimal(perToken, 6);
}

/** Credits per million tokens (from a form field) → credits per token, or null for an empty field. */
export function perToken(perMillionText) {
  const s = String(perMillionText ?? '').trim();
  return s === '' ? null : shiftDecimal(s, -6);
}
