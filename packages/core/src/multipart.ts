// @rc/core/multipart: the strict, bounded reader of MIME multipart bodies that batchGet uses
// (RingCentral's `multipart/mixed` batch replies), for extensions and test servers that read such
// bodies (the mock server reads fax uploads with it). A face of its own, not part of the kit: a
// bundler that splits code (esbuild) places a module that any face reachable from the app
// re-exports into the app's first chunk whenever an on-demand chunk (batchGet's) uses it, so a
// browser app using the kit would load the reader at start (0.9 kB min+gzip, bench/size.mjs).

export type { MultipartLimits, MultipartPart } from './multipart/parse.js';
export { MultipartError, multipartBoundary, parseMultipart } from './multipart/parse.js';
