export type { PasswordGrantOptions } from './password-grant.js';
export { passwordGrant } from './password-grant.js';
