/**
 * Names as the sync writes them into PDS (`nick_name`, `group_name`): cleaned once, when the
 * DingTalk snapshot is built, so the planner compares what PDS holds with what it would write
 * and a second run finds nothing to change. Every step is deterministic and the whole is
 * idempotent (`cleanName(cleanName(x)) === cleanName(x)`).
 */

/** PDS `nick_name` and `group_name`: at most 128, here in UTF-16 units (stricter than code points). */
export const NAME_MAX = 128;

/**
 * Invisible characters that only make two names that look the same compare different, or
 * reorder what a reader sees: bidi embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069), the direction marks (U+200E, U+200F, U+061C: a display name needs none
 * without the overrides), zero-width space and non-joiner, word joiner and the invisible
 * operators (U+2060–U+2064), the BOM (U+FEFF), non-whitespace control characters (NUL and the
 * rest of Cc: DingTalk shows nothing for them, so "张\0三" reads 张三, not 张 三) and unpaired
 * surrogates (half of an emoji: UTF-8 cannot carry it, so PDS could never hold it as sent).
 */
const INVISIBLE =
  /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B\u200C\u2060-\u2064\uFEFF]|(?![\t\n\v\f\r\u0085])\p{Cc}|\p{Cs}/gu;

/** Line and tab controls separate words: they become a space. */
const SEPARATOR = /[\t\n\v\f\r\u0085\u2028\u2029]/g;

/**
 * A zero-width joiner that is not inside an emoji sequence (👩‍💻 keeps its, with a skin tone
 * or U+FE0F after the first emoji too): anywhere else it is invisible.
 */
const STRAY_JOINER =
  /(?<!\p{Extended_Pictographic}(?:\u{FE0F}|\p{Emoji_Modifier})?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

/** Spaces in a row: the cleaning makes them, and a display name never needs two. */
const SPACES = / {2,}/g;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * `s` cut to at most `max` UTF-16 units, never between the two halves of a surrogate pair
 * (127 Chinese characters and 😀 cut at 128 keep 127 characters, not a lone `\ud83d`).
 */
export function cutUtf16(s: string, max: number): string {
  if (s.length <= max) return s;
  const end = isHighSurrogate(s.charCodeAt(max - 1)) ? max - 1 : max;
  return s.slice(0, end);
}

function clean(raw: string): string {
  return raw
    .replace(INVISIBLE, '')
    .replace(SEPARATOR, ' ')
    .replace(STRAY_JOINER, '')
    .replace(SPACES, ' ')
    .trim();
}

/**
 * A name as PDS should hold it: invisible characters removed, line and tab controls made a
 * space, runs of spaces collapsed, trimmed, and at most NAME_MAX UTF-16 units. `''` when
 * nothing visible is left (the caller falls back to an id).
 */
export function cleanName(raw: string): string {
  const cleaned = clean(raw);
  // a cut may end on a space or a joiner that then leads nowhere: clean the cut again
  return cleaned.length <= NAME_MAX ? cleaned : clean(cutUtf16(cleaned, NAME_MAX));
}

/** A person's name, or their userid when nothing is left of it. */
export const personName = (name: string, userid: string): string =>
  cleanName(name) || cleanName(userid) || userid;

/** A department's name, or its id when nothing is left of it. */
export const departmentName = (name: string, deptId: number): string => cleanName(name) || String(deptId);
