import { CALENDARS, defaultCalendar, type ConfigProblem } from '../../../../shared/session-config';
import { getPath, problemsAt, setPath, type Draft } from '../../state/config-draft';
import { FieldErrors, invalidProps } from './FieldErrors';

interface Props {
  draft: Draft;
  problems: ConfigProblem[];
  onChange: (draft: Draft) => void;
}

function str(value: unknown): string {
  return typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? ''
      : String(value);
}

/** session_name, mode, the calendar, the date range and the speed multiplier. */
export function GeneralFields({ draft, problems, onChange }: Props) {
  const field = (path: string) => {
    const messages = problemsAt(problems, path);
    const id = `err-${path.replace(/\W/g, '-')}`;
    return { messages, id, aria: invalidProps(id, messages) };
  };
  const name = field('session_name');
  const mode = field('mode');
  const calendar = field('calendar');
  const start = field('backtest_config.start_date');
  const end = field('backtest_config.end_date');
  const speed = field('backtest_config.speed_multiplier');
  const setText = (path: string, value: string): void =>
    onChange(setPath(draft, path, value === '' ? undefined : value));
  const speedValue = getPath(draft, 'backtest_config.speed_multiplier');
  return (
    <fieldset className="form-section">
      <legend>Session</legend>
      <label className="form-row">
        <span>Session name</span>
        <input
          type="text"
          value={str(draft.session_name)}
          onChange={(e) => onChange(setPath(draft, 'session_name', e.target.value))}
          {...name.aria}
        />
      </label>
      <FieldErrors id={name.id} messages={name.messages} />
      <label className="form-row">
        <span>Mode</span>
        <select
          value={str(draft.mode) || 'backtest'}
          onChange={(e) => onChange(setPath(draft, 'mode', e.target.value))}
          {...mode.aria}
        >
          <option value="backtest">backtest</option>
          <option value="live">live</option>
        </select>
      </label>
      <FieldErrors id={mode.id} messages={mode.messages} />
      <label className="form-row">
        <span>Calendar</span>
        <select
          value={str(draft.calendar) || defaultCalendar(draft)}
          title="The exchange calendar of every stream that does not name its own"
          onChange={(e) => onChange(setPath(draft, 'calendar', e.target.value))}
          {...calendar.aria}
        >
          {(CALENDARS as readonly string[]).includes(
            str(draft.calendar) || defaultCalendar(draft),
          ) ? null : (
            <option value={str(draft.calendar)}>{str(draft.calendar)}</option>
          )}
          {CALENDARS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <FieldErrors id={calendar.id} messages={calendar.messages} />
      <label className="form-row">
        <span>Start date</span>
        <input
          type="date"
          value={str(getPath(draft, 'backtest_config.start_date'))}
          onChange={(e) => setText('backtest_config.start_date', e.target.value)}
          {...start.aria}
        />
      </label>
      <FieldErrors id={start.id} messages={start.messages} />
      <label className="form-row">
        <span>End date</span>
        <input
          type="date"
          value={str(getPath(draft, 'backtest_config.end_date'))}
          onChange={(e) => setText('backtest_config.end_date', e.target.value)}
          {...end.aria}
        />
      </label>
      <FieldErrors id={end.id} messages={end.messages} />
      <label className="form-row">
        <span>Speed multiplier</span>
        <input
          type="number"
          min={0}
          step="any"
          title="1 = real time, 60 = a minute per second, 0 = as fast as possible"
          value={typeof speedValue === 'number' ? String(speedValue) : str(speedValue)}
          onChange={(e) =>
            onChange(
              setPath(
                draft,
                'backtest_config.speed_multiplier',
                e.target.value === '' ? undefined : Number(e.target.value),
              ),
            )
          }
          {...speed.aria}
        />
      </label>
      <FieldErrors id={speed.id} messages={speed.messages} />
    </fieldset>
  );
}
