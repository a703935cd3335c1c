/**
 * What each browser-mode suite starts from: a throwaway copy of the demo data, the app open on
 * it, and the config editor ready (Start enabled).
 */
import { openApp, type RunningApp } from './app';
import { demoDataDir, type DataDir } from './demo-fixture';
import { controls, waitFor } from './replay-ui';

export async function openDemoApp(
  chromiumPath: string,
  options: { timezoneId?: string } = {},
): Promise<{ data: DataDir; app: RunningApp }> {
  const data = demoDataDir();
  const app = await openApp(chromiumPath, { data, ...options });
  await waitFor(() => controls(app.page).start.isEnabled(), Boolean, 'Start to be enabled');
  return { data, app };
}
