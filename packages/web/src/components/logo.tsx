/** The Rapport mark; decorative, the product name is always next to it as text. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--mantine-color-indigo-6)" />
      <path d="M10 24V8h7a5 5 0 0 1 1.2 9.85L22 24h-3.6l-3.4-6H13.2v6zm3.2-9h3.6a2 2 0 0 0 0-4h-3.6z" fill="#fff" />
    </svg>
  );
}
