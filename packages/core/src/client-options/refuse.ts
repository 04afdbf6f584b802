// createClient()'s one way to refuse an option: a ConfigError that names it, for every check in
// this folder.
import { ConfigError } from '../errors/config-error.js';

export const refuse = (option: string, message: string): never => {
  throw new ConfigError(`createClient(): ${message}`, option);
};
