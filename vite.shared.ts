/**
 * Cross-origin isolation (SharedArrayBuffer, so WebAssembly can use threads): the app's and the
 * tools' dev and preview servers send the headers a static host should send.
 */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
