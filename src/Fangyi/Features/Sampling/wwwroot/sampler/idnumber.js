// Sampling codes, checked on the phone the moment they are scanned or typed; and the ID number's checks, which
// the kiosk shares (/js/id-number.js). Ported from src/Fangyi/Features/Sampling/SampleCode.cs.
export * from '/js/id-number.js';

/** A tube (T) or box (B) code: the letter, a 9-digit serial and an ISO 7064 MOD 11,10 check digit; null if not. */
export function sampleCode(text, letter) {
  const code = String(text || '').trim().toUpperCase();
  if (!new RegExp('^' + letter + '\\d{10}$').test(code)) return null;
  let p = 10;
  for (let i = 1; i <= 9; i++) {
    const s = (p + (code.charCodeAt(i) - 48)) % 10;
    p = ((s === 0 ? 10 : s) * 2) % 11;
  }
  return String((11 - p) % 10) === code[10] ? code : null;
}

