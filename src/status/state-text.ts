import type { Translate } from '../i18n/catalog.js';
import type { ProfileState } from './profile-states.js';

/** A profile state in words: a run status's own, or the list's own for running and never. */
export function stateText(t: Translate, s: ProfileState): string {
  if (s === 'running') return t('profiles.state.running');
  if (s === 'never') return t('last.never');
  return t(`status.${s}`);
}
