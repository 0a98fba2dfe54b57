import { ApiError } from '../errors/api-error.js';

const ALLOWED = /^[A-Za-z0-9!#&'*+,\-.:;<=>?@^_`~/|]{6,20}$/;
const SPECIAL = /[!#&'*+,\-.:;<=>?@^_`~/|]/;

/**
 * Checks the CIFS password rule: 6 to 20 characters, at least one letter, one digit and one of
 * the listed special characters, and nothing else. The error never echoes the password.
 */
export function validateCifsPassword(password: string | null | undefined): string {
  if (password === undefined || password === null || password === '') {
    throw new ApiError('CIFS_PASSWORD_REQUIRED', {}, { field: 'cifs_password' });
  }
  const valid =
    ALLOWED.test(password) &&
    /[A-Za-z]/.test(password) &&
    /[0-9]/.test(password) &&
    SPECIAL.test(password);
  if (!valid) throw new ApiError('CIFS_PASSWORD_INVALID', {}, { field: 'cifs_password' });
  return password;
}
