/**
 * The independent check's options for the test profile `acme` (bench/independent-check.ts):
 * what the engine is configured to sync, restated without sharing its mapping code.
 */
export const CHECK = {
  profileId: 'acme',
  syncPhone: true,
  syncEmail: true,
  emailField: 'email',
  dingIdentity: 'unionid',
} as const;
