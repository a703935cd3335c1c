/**
 * What each browser-mode suite starts from: a throwaway copy of the demo data, the app open on
 * it, and the config editor ready (Start enabled).
 */
import { openApp, type OpenAppOptions, type RunningApp } from './app';
import { demoDataDir, type DataDir } from './demo-fixture';
import { controls, waitFor } from './replay-ui';

/** The app open on `options.data` with the config editor ready (Start enabled). */
export async function openReadyApp(
  chromiumPath: string,
  options: OpenAppOptions,
): Promise<RunningApp> {
  const app = await openApp(chromiumPath, options);
  await waitFor(() => controls(app.page).start.isEnabled(), Boolean, 'Start to be enabled');
  return app;
}

export async function openDemoApp(
  chromiumPath: string,
  options: { timezoneId?: string } = {},
): Promise<{ data: DataDir; app: RunningApp }> {
  const data = demoDataDir();
  const app = await openReadyApp(chromiumPath, { data, ...options });
  return { data, app };
}
