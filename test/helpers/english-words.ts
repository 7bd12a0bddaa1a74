/**
 * The English-word detector of the catalog tests: in Chinese output, which words are English
 * prose. Anything with a digit, `_`, `.`, `/`, `:`, `=`, brackets or an inner capital (a path, a
 * code, appKey, userids, URLs, times, flags) is an identifier already; `allowed` names the rest.
 */
export function englishWords(text: string, allowed: ReadonlySet<string>): string[] {
  const chunks = text.match(/[A-Za-z0-9_./:\-[\]+=@'"$]+/g) ?? [];
  const words = chunks
    .map((c) => c.replace(/^['"]+|['".:]+$/g, ''))
    .filter((c) => /^[A-Za-z][a-z]+$/.test(c) || /^[a-z]$/.test(c));
  return [...new Set(words.filter((w) => !allowed.has(w)))];
}
