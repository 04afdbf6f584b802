/** Finding a user from login credentials, with the forms RingCentral accepts. */
import { safeEqual } from './secrets.js';
import type { MockUser } from './types/options.js';

const digits = (s: string) => s.replace(/\D/g, '');

/**
 * Finds the user a login names. The username is the main number (any formatting, with or without
 * `+`), optionally as `number*extension`, or the user's email; the extension may also come as its
 * own field. Without an extension the first user with that number is taken (the main extension).
 */
export function findUser(users: MockUser[], username: string, extension?: string): MockUser | undefined {
  let name = username.trim();
  let ext = extension?.trim() || undefined;
  const star = name.indexOf('*');
  if (star >= 0) {
    ext = name.slice(star + 1) || ext;
    name = name.slice(0, star);
  }
  const lower = name.toLowerCase();
  const phone = digits(name);
  return users.find((u) => {
    const byEmail = name.includes('@') && u.email?.toLowerCase() === lower;
    const byNumber = phone.length > 0 && !name.includes('@') && digits(u.username) === phone;
    const byName = u.username === name;
    if (!byEmail && !byNumber && !byName) return false;
    return ext === undefined || byEmail || u.extension === ext;
  });
}

/** The user if the credentials are right, else `undefined`. Compares the password in constant time. */
export function checkCredentials(
  users: MockUser[],
  username: string,
  password: string,
  extension?: string,
): MockUser | undefined {
  const user = findUser(users, username, extension);
  return user && safeEqual(user.password, password) ? user : undefined;
}
