import { describe, expect, it } from '@jest/globals';
import { translator } from '../../src/i18n/catalog.js';
import { csvCell } from '../../src/report/csv.js';
import { RunDepartments } from '../../src/report/departments.js';
import { changeRow } from '../../src/report/list-rows.js';

const zh = translator('zh-CN');
const departments = new RunDepartments([
  { id: 1, name: '总公司', parentId: undefined },
  { id: 12, name: '销售部', parentId: 1 },
]);

describe('a list row', () => {
  it('names a renamed group by its department path, not its PDS group id, and its field in words', () => {
    const row = changeRow(
      {
        action: { type: 'renameGroup', groupId: 'g7', name: '销售二部' },
        groupId: 'g7',
        deptIds: [12],
        fields: { group_name: ['销售部', '销售二部'] },
      },
      departments,
      zh,
    );
    expect(row.actionText).toContain('总公司 / 销售部 → “销售二部”');
    expect(row.actionText).not.toContain('g7');
    expect(row.departments).toEqual(['总公司 / 销售部']);
    expect(row.fields).toEqual([
      { field: 'group_name', label: '部门组名称', before: '销售部', after: '销售二部' },
    ]);
  });

  it('keeps the group id where the run did not see the department', () => {
    const row = changeRow(
      { action: { type: 'renameGroup', groupId: 'g9', name: 'X' }, groupId: 'g9' },
      departments,
      zh,
    );
    expect(row.actionText).toContain('g9');
  });
});

describe('a CSV cell', () => {
  it('escapes what a spreadsheet would run, and quotes a quote, a comma or a line break', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', 'plain'].map(csvCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      'plain',
    ]);
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvCell('=a,b')).toBe('"\'=a,b"');
  });
});
