/**
 * The quality strip's replies come a piece at a time (QualityStripRequest's `known`): what a
 * holder of the strip does with each.
 */
import type { QualityStrip } from './ipc-contract';

/**
 * A strip reply joined to the strip held (always whole: offset 0): a reply from `offset` keeps
 * the held cells before
 * it (the host called them final). A reply that starts past what is held cannot be joined; the
 * held strip is kept, claiming nothing final, so the next request asks for the whole strip.
 */
export function joinStrip(held: QualityStrip | undefined, reply: QualityStrip): QualityStrip {
  if (reply.offset === 0) return reply;
  if (!held) return { symbol: reply.symbol, offset: 0, final: 0, minutes: [], states: [] };
  if (reply.offset > held.final) return { ...held, final: 0 };
  return {
    symbol: reply.symbol,
    offset: 0,
    final: reply.final,
    minutes: held.minutes.slice(0, reply.offset).concat(reply.minutes),
    states: held.states.slice(0, reply.offset).concat(reply.states),
  };
}
