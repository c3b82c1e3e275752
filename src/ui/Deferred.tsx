import { useEffect, useState, type ReactNode } from 'react';

/**
 * Mounts its children one task later, so a big view (charts, hundreds of word chips) is not
 * rendered and laid out in the same main-thread task as what appeared with it.
 */
export function Deferred({ children, placeholder = null }: { children: ReactNode; placeholder?: ReactNode }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const timer = window.setTimeout(() => setReady(true), 0);
    return () => window.clearTimeout(timer);
  }, []);
  return ready ? children : placeholder;
}
