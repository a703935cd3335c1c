import { speedChoicesWith } from '../../state/speed';

interface Props {
  speed: number;
  onSpeed: (speed: number) => void;
}

export function SpeedSelect({ speed, onSpeed }: Props) {
  return (
    <label className="field-inline">
      <span className="field-label compact-hide">Speed</span>
      <select
        aria-label="Speed"
        value={String(speed)}
        title="Replay speed (+ and − change it)"
        onChange={(e) => onSpeed(Number(e.target.value))}
      >
        {speedChoicesWith(speed).map((c) => (
          <option key={c.value} value={String(c.value)}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
