/**
 * Request names and their channels, free of dependencies: the sandboxed preload can require
 * nothing but Electron, so it imports this and types, never the schemas. The names are those
 * of API_REQUESTS in ipc-contract.ts, which checks at compile time that the two lists agree.
 */
export const REQUEST_NAMES = [
  'appInfo',
  'validateConfig',
  'listConfigs',
  'loadConfig',
  'saveConfig',
  'startSession',
  'controlSession',
  'setSpeed',
  'snapshot',
  'getBars',
  'getQuotes',
  'getTicks',
  'qualityStrip',
  'saveConfigAs',
  'importPreview',
  'importCommit',
  'importCancel',
  'catalog',
  'uploadBegin',
  'uploadChunk',
  'uploadEnd',
  'listStrategies',
  'manualOrder',
  'cancelOrder',
  'sweepStart',
  'sweepCancel',
  'sweepStatus',
] as const;

export type RequestName = (typeof REQUEST_NAMES)[number];

/** A request's channel: `getBars` travels on `tapedeck:get-bars`. */
export function requestChannel(name: RequestName): string {
  return `tapedeck:${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export const IPC = Object.fromEntries(
  REQUEST_NAMES.map((name) => [name, requestChannel(name)]),
) as Readonly<Record<RequestName, string>>;

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
  sweepProgress: 'tapedeck:sweep-progress',
} as const;
