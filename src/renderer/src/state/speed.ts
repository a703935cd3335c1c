/** The replay speeds on offer; 0 is "max" (as fast as possible), as in the engine. */
export interface SpeedChoice {
  value: number;
  label: string;
}

export const SPEED_CHOICES: readonly SpeedChoice[] = [1, 2, 5, 10, 30, 60, 300, 0].map((value) => ({
  value,
  label: speedLabel(value),
}));

export function speedLabel(speed: number): string {
  return speed === 0 ? 'max' : `${speed}×`;
}

/** The choices, plus the current speed when a config set one that is not on the list. */
export function speedChoicesWith(current: number): readonly SpeedChoice[] {
  if (SPEED_CHOICES.some((c) => c.value === current)) return SPEED_CHOICES;
  return [...SPEED_CHOICES, { value: current, label: speedLabel(current) }].sort(bySpeed);
}

function bySpeed(a: SpeedChoice, b: SpeedChoice): number {
  const rank = (v: number): number => (v === 0 ? Number.POSITIVE_INFINITY : v);
  return rank(a.value) - rank(b.value);
}

/** One step faster or slower along the list (max is the fastest); stays put at either end. */
export function nextSpeed(current: number, direction: 1 | -1): number {
  const ordered = SPEED_CHOICES.map((c) => c.value);
  const rank = (v: number): number => (v === 0 ? Number.POSITIVE_INFINITY : v);
  if (direction > 0) return ordered.find((v) => rank(v) > rank(current)) ?? current;
  const slower = ordered.filter((v) => rank(v) < rank(current));
  return slower.length > 0 ? slower[slower.length - 1] : current;
}
