// Issue 19: core's main face is what an app uses; the toolkit for store, grant and extension authors
// is `@rc/core/kit`. No name is on both (one promise per name), and the kit holds no app entry point.
import { describe, expect, it } from 'vitest';
import * as main from '../src/index.js';
import * as kit from '../src/kit.js';
import * as multipart from '../src/multipart.js';

describe('faces', () => {
  it('no run-time name is exported by both @rc/core and @rc/core/kit', () => {
    const both = Object.keys(kit).filter((name) => name in main);
    expect(both).toEqual([]);
  });

  it('the main face keeps what an app calls, the kit what authors build with', () => {
    for (const name of [
      'createClient',
      'ApiError',
      'OAuthError',
      'isRcError',
      'rateLimit',
      'logger',
      'messageBody',
    ])
      expect(main).toHaveProperty(name);
    for (const name of ['KeyLock', 'withDeadline', 'checkOptions', 'tokenRead', 'LeaseElection'])
      expect(kit).toHaveProperty(name);
    // The multipart reader has a face of its own (see multipart.ts): on neither of the others.
    for (const name of ['parseMultipart', 'multipartBoundary', 'MultipartError']) {
      expect(multipart).toHaveProperty(name);
      expect(name in main || name in kit).toBe(false);
    }
    // A short face: a newcomer reads it on one screen.
    expect(Object.keys(main).length).toBeLessThanOrEqual(30);
  });
});
