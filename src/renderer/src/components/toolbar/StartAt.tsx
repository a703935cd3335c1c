import { zoneName } from '../../../../shared/session-zone';

interface Props {
  value: string;
  /** The zone the value is read in: the session's, never the computer's. */
  zone: string;
  onChange: (value: string) => void;
  min?: string;
  max?: string;
}

/** Where replay begins, in the session's zone; everything before it is drawn at once. */
export function StartAt({ value, zone, onChange, min, max }: Props) {
  const name = zoneName(zone);
  return (
    <label
      className="field-inline"
      title={`History before this time (${name} time) is drawn at once`}
    >
      <span className="field-label compact-hide">Start at</span>
      <input
        type="datetime-local"
        step={1}
        aria-label="Start at"
        aria-describedby="start-at-zone"
        value={value}
        min={min}
        max={max}
        onChange={(e) => onChange(e.target.value)}
      />
      <span id="start-at-zone" className="field-zone compact-hide" data-zone={zone}>
        {name}
      </span>
    </label>
  );
}
