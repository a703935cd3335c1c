interface Props {
  text: string;
  error: string | null;
  onText: (text: string) => void;
}

/** The config as JSON, editable; kept in sync with the form both ways. */
export function RawJson({ text, error, onText }: Props) {
  return (
    <div className="form-section raw-json">
      <label htmlFor="raw-json">Raw JSON</label>
      <textarea
        id="raw-json"
        spellCheck={false}
        rows={14}
        value={text}
        aria-invalid={error !== null}
        aria-describedby={error ? 'err-raw-json' : undefined}
        onChange={(e) => onText(e.target.value)}
      />
      {error && (
        <ul className="field-errors" id="err-raw-json">
          <li>{error}</li>
        </ul>
      )}
    </div>
  );
}
