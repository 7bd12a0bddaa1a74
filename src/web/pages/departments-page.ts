import { localTime } from '../../i18n/time.js';
import type { DepartmentRow, DepartmentTree } from '../../people/types.js';
import { html, type Html } from '../html.js';
import type { PageContext } from './layout.js';

/** The rows in tree order (each department after its parent), with their depth. */
function treeOrder(tree: DepartmentTree): { row: DepartmentRow; depth: number }[] {
  const children = new Map<number | undefined, DepartmentRow[]>();
  const ids = new Set(tree.departments.map((d) => d.id));
  for (const d of tree.departments) {
    // a department whose parent the run did not read starts a tree of its own
    const parent = d.parentId !== undefined && ids.has(d.parentId) ? d.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const out: { row: DepartmentRow; depth: number }[] = [];
  const walk = (parent: number | undefined, depth: number) => {
    for (const d of children.get(parent) ?? []) {
      out.push({ row: d, depth });
      walk(d.id, depth + 1);
    }
  };
  walk(undefined, 0);
  return out;
}

/** The DingTalk departments as the last complete run saw them, as an indented table. */
export function departmentsView(
  ctx: PageContext,
  profileId: string,
  tree: DepartmentTree | null,
  timeZone: string,
): Html {
  const { t } = ctx;
  const title = html`<h1>${t('departments.title')} · ${profileId}</h1>`;
  if (tree === null)
    return html`${title}
      <p>${t('departments.none')}</p>`;
  const at = localTime(tree.at, timeZone, ctx.locale);
  return html`${title}
    <p>${t('departments.seen', { runId: tree.runId, at, n: tree.departments.length })}</p>
    <div class="scroll">
      <table class="departments">
        <thead>
          <tr>
            <th>${t('departments.col.name')}</th>
            <th>${t('departments.col.id')}</th>
            <th>${t('departments.col.members')}</th>
            <th>${t('departments.col.inScope')}</th>
          </tr>
        </thead>
        <tbody>
          ${treeOrder(tree).map(
            ({ row, depth }) =>
              html`<tr>
                <td class="depth-${Math.min(depth, 8)}">${row.name}</td>
                <td>${row.id}</td>
                <td>${row.members}</td>
                <td>${row.inScope ? t('departments.yes') : t('departments.no')}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}
