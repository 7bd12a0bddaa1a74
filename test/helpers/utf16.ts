/**
 * Whether a string is valid UTF-16: no unpaired surrogate (in a `u` regex a pair is one code
 * point, so only a lone half matches Cs). The TS lib here predates String.isWellFormed.
 */
export const wellFormed = (s: string): boolean => !/\p{Cs}/u.test(s);
