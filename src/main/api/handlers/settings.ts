import type { SettingsService } from '../../services/settings-service';
import type { Handlers } from '../router';

/** The contract's settings calls: the examiner's name. */
export function settingsHandlers(settings: SettingsService): Pick<Handlers, 'settings.get' | 'settings.set'> {
  return {
    'settings.get': () => settings.get(),
    'settings.set': (input) => settings.set(input.examiner),
  };
}
