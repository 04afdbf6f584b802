/**
 * Whether a URL's hostname is this machine (`localhost`, `*.localhost`, 127.0.0.0/8, `[::1]`): the
 * only hosts to which plain http (core) or plain ws (subscriptions) may carry a token.
 */
export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]';
