/** The renderer is served from app://lab/, never file://, so it gets a real origin and a CSP header. */
export const appOrigin = 'app://lab';

/**
 * Whether a URL is one of the app's own pages (anything unparsable is not). By scheme and host,
 * not `origin`: in the main process URLs are Node's, whose origin is "null" for any scheme
 * but the web's own (http, https, file…), app:// included.
 */
export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && parsed.host === 'lab';
  } catch {
    return false;
  }
}
