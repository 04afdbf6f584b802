export type { JwtGrantOptions } from './jwt-grant.js';
export { JWT_BEARER_GRANT_TYPE, jwtGrant } from './jwt-grant.js';
