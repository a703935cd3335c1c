/**
 * Writes the synthetic demo data set and its session config.
 *
 *   npx tsx src/main/cli/demo-data.ts [--data <dir>] [--if-missing] [--force] [--json]
 *
 * The app's start command runs it with --if-missing. Exit code 0 on success, 1 on failure.
 */
import path from 'node:path';
import { Command } from 'commander';
import { demoDataPresent, generateDemoData, type DemoManifest } from '../storage/demo-data';

interface Options {
  data: string;
  ifMissing?: boolean;
  force?: boolean;
  json?: boolean;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

function report(manifest: DemoManifest, seconds: number): string {
  const lines: string[] = [];
  lines.push(`Demo data written to ${manifest.dataDir} in ${seconds.toFixed(2)} s`);
  lines.push('', 'Files:');
  let total = 0;
  for (const f of manifest.files) {
    total += f.bytes;
    lines.push(
      `  ${f.relativePath.padEnd(68)} ${String(f.rows).padStart(8)} rows  ${formatBytes(f.bytes).padStart(10)}`,
    );
  }
  lines.push(`  ${'total'.padEnd(68)} ${' '.repeat(14)}${formatBytes(total).padStart(10)}`);
  lines.push('', 'Rows per stream:');
  for (const s of manifest.streams) {
    const name = `${s.symbol} ${s.type}${s.interval ? ` ${s.interval}` : ''}`;
    const byDate = Object.entries(s.rowsByDate)
      .map(([date, rows]) => `${date}: ${rows}`)
      .join(', ');
    lines.push(`  ${name.padEnd(14)} ${String(s.rows).padStart(8)}  (${byDate})`);
  }
  lines.push('', 'Deliberate gaps (New York time, end exclusive):');
  for (const g of manifest.gaps) {
    const name = `${g.symbol} ${g.type}${g.interval ? ` ${g.interval}` : ''}`;
    const missing = g.missingRows !== undefined ? `, ${g.missingRows} bars missing` : '';
    lines.push(`  ${name.padEnd(14)} ${g.date} ${g.local}  ${g.description}${missing}`);
  }
  const { config } = manifest;
  lines.push('');
  if (config.status === 'kept') {
    lines.push(
      `Config: kept the existing ${config.path}, which differs from the generated one ` +
        `(use --force to replace it)`,
    );
  } else {
    lines.push(`Config: ${config.path} (${config.status})`);
  }
  for (const s of manifest.strategies) lines.push(`Strategy: ${s.file} (${s.status})`);
  return lines.join('\n');
}

function main(argv: string[]): number {
  const program = new Command()
    .name('demo-data')
    .description('Write the deterministic synthetic demo data set (3 symbols, 2 sessions).')
    .option('--data <dir>', 'data directory', 'data')
    .option('--if-missing', 'do nothing when the demo data and config already exist')
    .option('--force', 'regenerate everything and replace an edited configs/demo.json')
    .option('--json', 'print the manifest as JSON instead of a summary')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv);
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 1;
  }
  const options = program.opts<Options>();
  const dataDir = path.resolve(process.cwd(), options.data);

  if (options.ifMissing && !options.force && demoDataPresent(dataDir)) {
    if (!options.json) console.log(`Demo data already present in ${dataDir}; nothing to do.`);
    return 0;
  }
  const started = performance.now();
  const manifest = generateDemoData(dataDir, { overwriteConfig: options.force === true });
  const seconds = (performance.now() - started) / 1000;
  console.log(options.json ? JSON.stringify(manifest, null, 2) : report(manifest, seconds));
  return 0;
}

try {
  process.exitCode = main(process.argv);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`demo-data failed: ${message}`);
  process.exitCode = 1;
}
