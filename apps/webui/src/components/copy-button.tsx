import { useEffect, useState } from 'react';

/** Copies `text` to the clipboard and says so for two seconds. */
export function CopyButton(props: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setCopied(true);
    } catch {
      // No clipboard (insecure context): select nothing, say nothing.
    }
  };
  return (
    <button type="button" className="btn btn--ghost btn--small" onClick={() => void copy()}>
      <span aria-live="polite">{copied ? 'Copied' : props.label}</span>
    </button>
  );
}
