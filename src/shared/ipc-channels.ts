/**
 * Channel names only, free of dependencies: the sandboxed preload can require nothing but
 * Electron, so it imports this and types, never the schemas.
 */
export const IPC = {
  appInfo: 'tapedeck:app-info',
  validateConfig: 'tapedeck:validate-config',
} as const;
