import { useCallback, useState } from 'react';
import { settingsFromSearch, settingsToSearch, type TrainingSettings } from '../training/settings';

/** Settings read from and written to the page URL, so a configuration can be shared as a link. */
export function useUrlSettings() {
  const [settings, setSettings] = useState<TrainingSettings>(() => settingsFromSearch(window.location.search));
  const update = useCallback((patch: Partial<TrainingSettings>) => {
    setSettings((current) => {
      const next = { ...current, ...patch };
      const search = settingsToSearch(next, window.location.search);
      window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
      return next;
    });
  }, []);
  return [settings, update] as const;
}
