import { isIP } from 'node:net';
import { InvalidArgumentError } from 'commander';
import type { Translate } from '../i18n/catalog.js';
import { isProfileState, PROFILE_STATES, type ProfileState } from '../status/profile-states.js';

/**
 * Option value parsers whose refusals are worded in the CLI's language: commander puts the
 * refusal after its own frame, which src/cli/usage-error.ts words from the catalog too.
 */

/** An integer from `min`, up to `max` when one is given. */
export const intArg =
  (t: Translate, min: number, max?: number) =>
  (v: string): number => {
    const n = Number(v);
    if (Number.isInteger(n) && n >= min && (max === undefined || n <= max)) return n;
    throw new InvalidArgumentError(
      max === undefined ? t('cli.arg.intMin', { min }) : t('cli.arg.intRange', { min, max }),
    );
  };

/** A number above zero (a rate). */
export const positiveArg =
  (t: Translate) =>
  (v: string): number => {
    const n = Number(v);
    if (Number.isFinite(n) && n > 0) return n;
    throw new InvalidArgumentError(t('cli.arg.positive'));
  };

/** An IPv4 or IPv6 address. */
export const ipArg =
  (t: Translate) =>
  (v: string): string => {
    if (isIP(v) !== 0) return v;
    throw new InvalidArgumentError(t('cli.arg.ip'));
  };

/** Profile states, comma-separated (`dtsync status --status failed,held`). */
export const statesArg =
  (t: Translate) =>
  (v: string): ProfileState[] => {
    const states = v.split(',').map((s) => s.trim());
    if (states.length > 0 && states.every(isProfileState)) return states;
    throw new InvalidArgumentError(t('cli.arg.states', { states: PROFILE_STATES.join(', ') }));
  };
