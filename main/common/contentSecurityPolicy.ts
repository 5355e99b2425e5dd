/**
 * The renderer's one Content-Security-Policy: a header in browser mode and on Electron's app://
 * protocol, and a meta tag in index.html (written at build time). 'wasm-unsafe-eval' lets tfjs'
 * wasm backend compile in the page. A meta tag cannot carry frame-ancestors, so it is left out there.
 */
export function contentSecurityPolicy(delivery: 'header' | 'meta' = 'header'): string {
  const directives = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  if (delivery === 'header') directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}
