// Resident ID numbers (GB 11643), checked in the browser the moment they are typed or read off a card, so a typo
// is caught before the person leaves the queue. Ported from src/Fangyi/Core/Identity/IdNumber.cs; the server checks
// again, and alone knows which regions exist. Shared by the phone apps and the kiosk.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

// The same sentences as IdNumber.Message on the server.
export const MESSAGES = {
  empty: '证件号码不能为空',
  length: '身份证号码应为18位',
  characters: '身份证号码只能包含数字，末位可为X',
  birth_date: '身份证号码中的出生日期无效',
  check_character: '身份证号码校验位错误，请核对',
};

export function normalize(text) {
  return String(text || '').trim().replace(/ /g, '').toUpperCase();
}

export function checkCharacter(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  }
  return CHECK_CHARACTERS[sum % 11];
}

// yyyyMMdd at positions 6..13 as a real calendar day, or null.
function birthDate(number) {
  const y = Number(number.slice(6, 10));
  const m = Number(number.slice(10, 12));
  const d = Number(number.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null;
}

function localToday() {
  const now = new Date();
  return new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
}

function plausibleBirth(number, today) {
  const birth = birthDate(number);
  return birth !== null && birth <= (today || localToday()) && birth.getUTCFullYear() >= 1890;
}

/** The error code of a complete, normalized number ('' when valid), as IdNumber.Validate minus the region. */
export function validate(number, today) {
  if (number.length === 0) return 'empty';
  if (number.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(number)) return 'characters';
  if (!plausibleBirth(number, today)) return 'birth_date';
  return checkCharacter(number) === number[17] ? '' : 'check_character';
}

/**
 * What to tell someone typing: 'typing' while the number can still become valid, 'invalid' with a message as soon
 * as it cannot (a letter, an impossible birth date, more than 18 characters), 'valid' when complete and right.
 */
export function judge(text) {
  const number = normalize(text);
  if (number.length === 0) return { state: 'typing', number, message: '' };
  const head = number.slice(0, 17);
  if (!/^\d*$/.test(head) || (number.length === 18 && !/[\dX]$/.test(number))) {
    return { state: 'invalid', number, message: MESSAGES.characters };
  }
  if (number.length > 18) return { state: 'invalid', number, message: MESSAGES.length };
  if (number.length >= 14 && !plausibleBirth(number)) {
    return { state: 'invalid', number, message: MESSAGES.birth_date };
  }
  if (number.length < 18) return { state: 'typing', number, message: `已输入 ${number.length}/18 位` };
  const error = validate(number);
  return error ? { state: 'invalid', number, message: MESSAGES[error] } : { state: 'valid', number, message: '' };
}

/** 130***********123X, as the server masks a number (Core/Identity/IdNumber.Mask): the region is not shown either. */
export function mask(number) {
  return number.length === 18 ? number.slice(0, 3) + '***********' + number.slice(14) : number;
}

// The provinces' two-digit codes (GB/T 2260), which a number read off a card must start with: a misread first
// digit is caught here even where the region list is the server's.
const PROVINCES = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43',
  '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82']);

/** Whether a number's region starts with a real province's code. */
export function realProvince(number) {
  return PROVINCES.has(String(number).slice(0, 2));
}
