/**
 * Reading foreign files for import. Hosts open a file, show its preview, then hand
 * `reader.read(options)` to the commit, which writes the chunks into the stores.
 */
import type { ImportOptions, ImportPreview } from '../../../shared/import-contract';
import { openImportReader, type ReaderContext } from './open-import-reader';

export { openImportReader, type ReaderContext } from './open-import-reader';
export { ImportError, type ImportChunk, type ImportReader } from './import-types';
export type {
  ColumnMapping,
  ImportOptions,
  ImportPreview,
  ImportProblem,
  ImportProgress,
  SymbolPreview,
  TimestampUnit,
} from './import-types';

/** Opens `file` and previews it; writes nothing. */
export async function previewFile(
  file: string,
  options: ImportOptions = {},
  context: ReaderContext = {},
): Promise<ImportPreview> {
  const reader = await openImportReader(file, context);
  return reader.preview(options);
}
