/** How the import preview shows what the host sent: file names, and exchange-time ranges. */

/** The last part of a path (uploads are staged under a temp folder the user never chose). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** `2024-03-04T09:30:00.000-05:00` → `2024-03-04 09:30:00` (the preview's times are ET). */
export function wallIso(iso: string): string {
  return iso
    .replace('T', ' ')
    .replace(/(Z|[+-]\d{2}:?\d{2})$/, '')
    .replace(/\.000$/, '');
}

/** `first → last`, the date written once when both fall on it. */
export function previewRange(first: string, last: string): string {
  const a = wallIso(first);
  const b = wallIso(last);
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} → ${b.slice(11)}` : `${a} → ${b}`;
}
