import { useRef, type KeyboardEvent } from 'react';
import type { Interval } from '../../../../shared/interval';

interface Props {
  intervals: readonly Interval[];
  selected: Interval;
  onSelect: (interval: Interval) => void;
  label: string;
  panelId: string;
}

/** The interval tabs: arrow keys move between them, as the ARIA tabs pattern asks. */
export function IntervalTabs({ intervals, selected, onSelect, label, panelId }: Props) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const index = intervals.indexOf(selected);
    let next = -1;
    if (e.key === 'ArrowRight') next = (index + 1) % intervals.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + intervals.length) % intervals.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = intervals.length - 1;
    if (next < 0) return;
    e.preventDefault();
    e.stopPropagation();
    onSelect(intervals[next]);
    list.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]')[next]?.focus();
  };
  return (
    <div
      className="interval-tabs"
      role="tablist"
      aria-label={label}
      ref={list}
      onKeyDown={onKeyDown}
    >
      {intervals.map((interval) => (
        <button
          key={interval}
          type="button"
          role="tab"
          aria-selected={interval === selected}
          aria-controls={panelId}
          tabIndex={interval === selected ? 0 : -1}
          onClick={() => onSelect(interval)}
        >
          {interval}
        </button>
      ))}
    </div>
  );
}
