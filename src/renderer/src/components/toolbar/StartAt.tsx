interface Props {
  value: string;
  onChange: (value: string) => void;
  min?: string;
  max?: string;
}

/** Where replay begins, in exchange time; everything before it is drawn at once. */
export function StartAt({ value, onChange, min, max }: Props) {
  return (
    <label className="field-inline" title="History before this exchange time is drawn at once">
      <span className="field-label">Start at</span>
      <input
        type="datetime-local"
        step={1}
        aria-label="Start at"
        value={value}
        min={min}
        max={max}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}
