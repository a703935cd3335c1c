/**
 * ISO-8601 UTC with milliseconds (`2024-01-02T14:30:00.000Z`) for millions of timestamps: the
 * date-time part is cached per second, so a Date is built once a second, not once a row.
 */
export class IsoFormatter {
  private second = Number.NaN;
  private prefix = '';

  format(epochMs: number): string {
    const second = Math.floor(epochMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.prefix = new Date(second * 1000).toISOString().slice(0, 19);
    }
    const ms = epochMs - second * 1000;
    return `${this.prefix}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  }
}
