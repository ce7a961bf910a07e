import { compare, hash } from 'bcryptjs';

/** bcrypt cost of every staff password hash (~70 ms a hash or compare on the development machines). */
export const BCRYPT_ROUNDS = 10;

/**
 * A hash of a random string at the same cost, compared against when the e-mail is unknown, so an
 * unknown e-mail costs the same bcrypt compare as a known one (passwords.spec.ts checks the cost).
 */
export const DUMMY_HASH = '$2b$10$7TfP64VkC2EhyMEV2xqzrOCkwGSkSPXi034wfaKB8hNNgIlJ7fEEC';

export async function hashPassword(password: string): Promise<string> {
  return hash(password, BCRYPT_ROUNDS);
}

/**
 * Whether the password matches the stored hash. Without a stored hash (no such account) the
 * password is compared against DUMMY_HASH all the same and the answer is false: one compare always.
 */
export async function verifyPassword(password: string, storedHash: string | null | undefined): Promise<boolean> {
  const matches = await compare(password, storedHash ?? DUMMY_HASH);
  return Boolean(storedHash) && matches;
}
