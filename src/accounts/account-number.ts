/** "00123 45" and "0012345" are one account; case does not matter. Leading zeros do. */
export function accountNumberKey(number: string): string {
  return number.replace(/\s+/g, '').toUpperCase();
}
