/**
 * A minimal window until the replay UI lands: it shows the default session and whether its
 * config is valid, through the typed bridge.
 */
import type { TapedeckApi } from '../../shared/ipc-contract';

declare global {
  interface Window {
    tapedeck: TapedeckApi;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}

async function render(root: HTMLElement): Promise<void> {
  const info = await window.tapedeck.appInfo();
  root.append(el('h1', `Tapedeck ${info.version}`), el('p', `Data: ${info.dataDir}`));
  if (info.defaultConfig === null) {
    root.append(el('p', 'No demo data yet. Run: npm run demo-data'));
    return;
  }
  const result = await window.tapedeck.validateConfig({ config: info.defaultConfig });
  const table = el('table');
  const config = info.defaultConfig as { data_streams?: Array<Record<string, string>> };
  table.append(el('tr'));
  table.rows[0]!.append(el('th', 'Symbol'), el('th', 'Stream'), el('th', 'Interval'));
  for (const stream of config.data_streams ?? []) {
    const row = el('tr');
    row.append(el('td', stream.symbol), el('td', stream.type), el('td', stream.interval ?? ''));
    table.append(row);
  }
  root.append(table);
  for (const problem of result.problems) {
    const p = el('p', problem.message);
    p.className = 'problem';
    root.append(p);
  }
}

void render(document.getElementById('app')!);
