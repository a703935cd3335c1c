/**
 * Two decisions of the desktop window that must not be left to the environment or the page:
 * which URL the window loads (a dev server only in development), and which links may leave
 * the app for the system browser.
 */

/**
 * The dev server's URL when electron-vite runs the app in development, else null. A packaged
 * app ignores ELECTRON_RENDERER_URL: honouring it would let whoever sets the variable load any
 * page, trusted for IPC and given DevTools.
 */
export function devServerUrl(isPackaged: boolean, env: NodeJS.ProcessEnv): string | null {
  if (isPackaged) return null;
  const url = env.ELECTRON_RENDERER_URL;
  if (!url) return null;
  try {
    const parsed = new URL(url);
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
    return parsed.protocol === 'http:' && local ? url : null;
  } catch {
    return null;
  }
}

/** The only hosts a link in the app may open in the system browser (the project's pages). */
export const EXTERNAL_HOSTS: readonly string[] = ['github.com', 'www.tradingview.com'];

/** Whether `url` may be handed to shell.openExternal: https, to an allowed host, no userinfo. */
export function isAllowedExternal(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      parsed.username === '' &&
      parsed.password === '' &&
      EXTERNAL_HOSTS.includes(parsed.hostname)
    );
  } catch {
    return false;
  }
}
