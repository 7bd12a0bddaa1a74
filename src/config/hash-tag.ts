/**
 * The hash tag of a key as Redis Cluster reads it: the text between the first `{` and the first
 * `}` after it, when that text is not empty. Keys with one tag share one slot, which BullMQ's
 * scripts and our MULTI blocks need; undefined means the whole key is hashed.
 */
export function hashTagOf(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open < 0) return undefined;
  const close = key.indexOf('}', open + 1);
  if (close <= open + 1) return undefined;
  return key.slice(open + 1, close);
}
