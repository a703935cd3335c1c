/** Problems shown next to their field, in the schema's own words. */
export function FieldErrors({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul className="field-errors" id={id}>
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

/** The attributes that tie a field to its errors for assistive technology. */
export function invalidProps(id: string, messages: string[]) {
  return messages.length > 0
    ? { 'aria-invalid': true as const, 'aria-describedby': id }
    : { 'aria-invalid': false as const };
}
