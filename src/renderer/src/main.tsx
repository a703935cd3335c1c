// React Fast Refresh's dev preamble as a module: the inline one the plugin would add to the
// page is refused by the strict CSP (script-src 'self'). Empty in production builds.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApiHandle } from './api/get-api';
import { App } from './App';
import { SessionController } from './state/session-controller';

let controller: SessionController | null = null;
const handle = getApiHandle((message) => controller?.model.logError(message, 'warn'));
controller = new SessionController(handle.api);

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App handle={handle} controller={controller} />
  </StrictMode>,
);
