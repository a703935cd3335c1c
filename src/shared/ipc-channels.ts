/**
 * Channel names only, free of dependencies: the sandboxed preload can require nothing but
 * Electron, so it imports this and types, never the schemas. The keys are the API's method
 * names (`RequestName` in ipc-contract.ts).
 */
export const IPC = {
  appInfo: 'tapedeck:app-info',
  validateConfig: 'tapedeck:validate-config',
  listConfigs: 'tapedeck:list-configs',
  loadConfig: 'tapedeck:load-config',
  saveConfig: 'tapedeck:save-config',
  startSession: 'tapedeck:start-session',
  controlSession: 'tapedeck:control-session',
  setSpeed: 'tapedeck:set-speed',
  snapshot: 'tapedeck:snapshot',
  getBars: 'tapedeck:get-bars',
  getQuotes: 'tapedeck:get-quotes',
  getTicks: 'tapedeck:get-ticks',
  qualityStrip: 'tapedeck:quality-strip',
  saveConfigAs: 'tapedeck:save-config-as',
  importPreview: 'tapedeck:import-preview',
  importCommit: 'tapedeck:import-commit',
  importCancel: 'tapedeck:import-cancel',
  catalog: 'tapedeck:catalog',
  uploadBegin: 'tapedeck:upload-begin',
  uploadChunk: 'tapedeck:upload-chunk',
  uploadEnd: 'tapedeck:upload-end',
  listStrategies: 'tapedeck:list-strategies',
  manualOrder: 'tapedeck:manual-order',
  cancelOrder: 'tapedeck:cancel-order',
} as const;

/**
 * Sent by the preload alone (never exposed to the page), synchronously, with the path of a File
 * the user dropped: main then allows that path in an import request.
 */
export const IPC_DROPPED_FILE = 'tapedeck:dropped-file';

/** Events pushed from the host to the renderer. */
export const IPC_EVENTS = {
  sessionUpdate: 'tapedeck:session-update',
  log: 'tapedeck:log',
  importProgress: 'tapedeck:import-progress',
  menuCommand: 'tapedeck:menu-command',
} as const;
