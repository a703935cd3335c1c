/**
 * The edited config, shared by the form and the raw JSON view and kept in sync both ways: a
 * form edit rewrites the JSON text; a JSON edit that parses replaces the draft the form shows
 * (a syntax error keeps the last good draft and is shown beside the text).
 */
import { useCallback, useMemo, useState } from 'react';
import { parseSessionConfig, type ConfigResult } from '../../../shared/session-config';
import { formatRaw, parseRaw, type Draft } from '../state/config-draft';

export interface ConfigDraft {
  draft: Draft;
  text: string;
  rawError: string | null;
  result: ConfigResult;
  fromForm: (draft: Draft) => void;
  fromText: (text: string) => void;
  load: (draft: Draft) => void;
  /** The draft differs from what was last loaded or saved. */
  dirty: boolean;
  markSaved: () => void;
}

export function useConfigDraft(initial: Draft): ConfigDraft {
  const [draft, setDraft] = useState<Draft>(initial);
  const [text, setText] = useState(() => formatRaw(initial));
  const [rawError, setRawError] = useState<string | null>(null);
  const [baseline, setBaseline] = useState(() => formatRaw(initial));
  const result = useMemo(() => parseSessionConfig(draft), [draft]);
  const fromForm = useCallback((next: Draft) => {
    setDraft(next);
    setText(formatRaw(next));
    setRawError(null);
  }, []);
  const fromText = useCallback((next: string) => {
    setText(next);
    const parsed = parseRaw(next);
    if (parsed.ok) {
      setDraft(parsed.draft);
      setRawError(null);
    } else {
      setRawError(parsed.error);
    }
  }, []);
  const load = useCallback(
    (next: Draft) => {
      fromForm(next);
      setBaseline(formatRaw(next));
    },
    [fromForm],
  );
  const markSaved = useCallback(() => setBaseline(formatRaw(draft)), [draft]);
  const dirty = formatRaw(draft) !== baseline;
  return { draft, text, rawError, result, fromForm, fromText, load, dirty, markSaved };
}
