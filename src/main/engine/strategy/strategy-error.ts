/**
 * A strategy's failure, named the way an author looks for it: the strategy file, the line
 * (where there is one) and the message. Errors thrown by our own order checks carry the line
 * of the strategy's call, found in the stack.
 */
import { basename } from 'node:path';

export class StrategyError extends Error {
  override name = 'StrategyError';
  constructor(
    /** The strategy file as the user gave it. */
    readonly file: string,
    readonly line: number | null,
    readonly column: number | null,
    readonly detail: string,
  ) {
    super(
      `${basename(file)}${line !== null ? `:${line}${column !== null ? `:${column}` : ''}` : ''}: ${detail}`,
    );
  }
}

/** An order or call the strategy got wrong; wrapped with the call's line by the runner. */
export class StrategyUsageError extends Error {
  override name = 'StrategyUsageError';
}

/** The first stack frame inside `file` (source-mapped), or nulls. */
export function locate(
  error: unknown,
  file: string,
): { line: number | null; column: number | null } {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  for (const frame of stack.split('\n')) {
    const at = frame.lastIndexOf(file);
    if (at < 0) continue;
    const match = /^:(\d+):(\d+)/.exec(frame.slice(at + file.length));
    if (match) return { line: Number(match[1]), column: Number(match[2]) };
  }
  return { line: null, column: null };
}

/** Wraps anything a strategy threw (or made us throw) into a StrategyError naming the file. */
export function strategyFailure(error: unknown, file: string, during: string): StrategyError {
  if (error instanceof StrategyError) return error;
  const { line, column } = locate(error, file);
  const message =
    error instanceof Error
      ? `${error.name === 'StrategyUsageError' ? '' : `${error.name}: `}${error.message}`
      : String(error);
  return new StrategyError(file, line, column, `${message} (in ${during})`);
}
