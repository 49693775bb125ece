import { useEffect, useRef } from 'react';

/** What the global keyboard shortcuts do (see the help dialog's list). */
export interface ShortcutActions {
  /** Esc: present only while a run can be stopped. */
  cancel?: (() => void) | undefined;
  focusComposer: () => void;
  focusSearch: () => void;
  newChat: () => void;
  help: () => void;
  previous: () => void;
  next: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

/** Installs the app's keyboard shortcuts on the window. */
export function useShortcuts(actions: ShortcutActions): void {
  const ref = useRef(actions);
  ref.current = actions;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const current = ref.current;
      if (event.defaultPrevented) return;
      // An open dialog owns the keyboard (Esc closes it).
      if (document.querySelector('dialog[open]')) return;
      const mod = event.ctrlKey || event.metaKey;
      if (event.key === 'Escape' && current.cancel) {
        event.preventDefault();
        current.cancel();
      } else if (mod && !event.shiftKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        current.focusSearch();
      } else if (mod && event.shiftKey && event.key.toLowerCase() === 'o') {
        event.preventDefault();
        current.newChat();
      } else if (event.altKey && event.key === 'ArrowUp') {
        event.preventDefault();
        current.previous();
      } else if (event.altKey && event.key === 'ArrowDown') {
        event.preventDefault();
        current.next();
      } else if (!isTyping(event.target) && !mod && !event.altKey) {
        if (event.key === '/') {
          event.preventDefault();
          current.focusComposer();
        } else if (event.key === '?') {
          event.preventDefault();
          current.help();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
