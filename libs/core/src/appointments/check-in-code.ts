import { randomInt } from 'node:crypto';

/**
 * Letters and digits that cannot be mistaken for one another when read aloud, printed or typed
 * on a kiosk: no 0/O, 1/I/L, and no U (read as V). 30^6 ≈ 7 × 10^8 codes.
 */
export const CHECK_IN_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CHECK_IN_CODE_LENGTH = 6;
export const CHECK_IN_CODE_PATTERN = new RegExp(`^[${CHECK_IN_ALPHABET}]{${CHECK_IN_CODE_LENGTH}}$`);

export function newCheckInCode(): string {
  let code = '';
  for (let i = 0; i < CHECK_IN_CODE_LENGTH; i++) code += CHECK_IN_ALPHABET[randomInt(CHECK_IN_ALPHABET.length)];
  return code;
}

/** What a visitor types or reads out: case, spaces and dashes do not matter. */
export function normaliseCheckInCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}
