/**
 * lightweight-charts decides where the axis puts a day, month or year label by comparing bar
 * times in UTC. In New York that puts "7 Oct" on the 20:00 bar of the 7th (midnight UTC) and
 * never marks the 8th's pre-market open. This behaviour weighs the points on the wall clock of
 * the zone the labels are written in, so a day label sits on the zone's first bar of the day.
 * Chart times stay UTC seconds; only the weights (and the labels, elsewhere) use the zone.
 */
import {
  defaultHorzScaleBehavior,
  type IHorzScaleBehavior,
  type Mutable,
  type Time,
  type TickMarkWeightValue,
  type TimeScalePoint,
} from 'lightweight-charts';
import { zoneOffsetMs } from '../../state/display-zone';

// lightweight-charts' TickMarkWeight values.
const YEAR = 70;
const MONTH = 60;
const DAY = 50;
const INTRADAY: ReadonlyArray<[divisorMs: number, weight: number]> = [
  [12 * 3_600_000, 33],
  [6 * 3_600_000, 32],
  [3 * 3_600_000, 31],
  [3_600_000, 30],
  [30 * 60_000, 22],
  [5 * 60_000, 21],
  [60_000, 20],
  [1000, 10],
];

/** The weight of a point after another, both given as wall-clock ms read as UTC. */
export function wallWeight(wall: number, prevWall: number): number {
  const a = new Date(wall);
  const b = new Date(prevWall);
  if (a.getUTCFullYear() !== b.getUTCFullYear()) return YEAR;
  if (a.getUTCMonth() !== b.getUTCMonth()) return MONTH;
  if (a.getUTCDate() !== b.getUTCDate()) return DAY;
  for (const [divisor, weight] of INTRADAY) {
    if (Math.floor(wall / divisor) !== Math.floor(prevWall / divisor)) return weight;
  }
  return 0;
}

function wallOf(point: TimeScalePoint, tz: string): number {
  const ms = (point.originalTime as number) * 1000;
  return ms + zoneOffsetMs(ms, tz);
}

export function zonedTimeScale(tz: string): IHorzScaleBehavior<Time> {
  const Base = defaultHorzScaleBehavior();
  class Zoned extends Base {
    override fillWeightsForPoints(
      points: readonly Mutable<TimeScalePoint>[],
      startIndex = 0,
    ): void {
      if (points.length === 0) return;
      if (typeof points[0].originalTime !== 'number') {
        super.fillWeightsForPoints(points, startIndex);
        return;
      }
      let prev = startIndex === 0 ? null : wallOf(points[startIndex - 1], tz);
      for (let i = startIndex; i < points.length; i += 1) {
        const wall = wallOf(points[i], tz);
        if (prev !== null) points[i].timeWeight = wallWeight(wall, prev) as TickMarkWeightValue;
        prev = wall;
      }
      if (startIndex === 0 && points.length > 1) {
        // The first point has no predecessor: weigh it against one average step before it.
        const first = wallOf(points[0], tz);
        const step = Math.ceil((prev! - first) / (points.length - 1));
        points[0].timeWeight = wallWeight(first, first - step) as TickMarkWeightValue;
      }
    }
  }
  return new Zoned();
}
