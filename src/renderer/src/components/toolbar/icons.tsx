/** Small replay-control glyphs, as inline SVG (no icon font, nothing the CSP would block). */
const SIZE = 12;

export function PlayIcon() {
  return (
    <svg
      width={SIZE}
      height={SIZE}
      viewBox="0 0 12 12"
      aria-hidden="true"
      className="icon icon-play"
    >
      <path d="M2 1 L11 6 L2 11 Z" />
    </svg>
  );
}

export function PauseIcon() {
  return (
    <svg
      width={SIZE}
      height={SIZE}
      viewBox="0 0 12 12"
      aria-hidden="true"
      className="icon icon-pause"
    >
      <rect x="2" y="1" width="3" height="10" />
      <rect x="7" y="1" width="3" height="10" />
    </svg>
  );
}

export function StepIcon() {
  return (
    <svg
      width={SIZE}
      height={SIZE}
      viewBox="0 0 12 12"
      aria-hidden="true"
      className="icon icon-step"
    >
      <path d="M1 1 L8 6 L1 11 Z" />
      <rect x="9" y="1" width="2" height="10" />
    </svg>
  );
}

export function StopIcon() {
  return (
    <svg
      width={SIZE}
      height={SIZE}
      viewBox="0 0 12 12"
      aria-hidden="true"
      className="icon icon-stop"
    >
      <rect x="1.5" y="1.5" width="9" height="9" rx="1" />
    </svg>
  );
}
