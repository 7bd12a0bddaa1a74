/** The text of the first fenced block of `lang` in a Markdown text (docs a test follows). */
export function fencedBlock(markdown: string, lang: string): string {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(markdown);
  if (m?.[1] === undefined) throw new Error(`no \`\`\`${lang} block`);
  return m[1];
}
