/**
 * HTML built with the `html` tagged template: every interpolated value is escaped unless it is
 * itself `Html` (made by `html` or `raw`), so a DingTalk name like `<img onerror=…>` shows as
 * text. Pages never build HTML by string concatenation.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

/** A value a template may hold: text (escaped), a number, markup, nothing, or a list of those. */
export type Fragment = Html | string | number | boolean | null | undefined | readonly Fragment[];

function render(value: Fragment): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly Fragment[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Markup the code itself wrote (never data from DingTalk, PDS or a request). */
export function trusted(markup: string): Html {
  return new Html(markup);
}
