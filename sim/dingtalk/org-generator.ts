import { mulberry32, pick, type Rng } from '../prng.js';
import { ROOT_DEPT_ID, type SimDepartment, type SimOrgData, type SimUser } from './org-types.js';

export interface OrgSpec {
  readonly seed: number;
  readonly users: number;
  /** Departments, the root included. */
  readonly departments: number;
  /** Levels below the root. @defaultValue 4 */
  readonly depth?: number | undefined;
  /**
   * Members of the one big department (over 100, so user/list must page).
   * @defaultValue max(250, users/20) from 500 users on, else half the users
   */
  readonly bigDepartmentSize?: number | undefined;
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建文辉力兰晨阳光宇浩然欣怡子涵梓萱一诺雨桐思远嘉怡俊杰';
const DEPT_NAMES = [
  '研发部',
  '市场部',
  '财务部',
  '销售部',
  '人事部',
  '行政部',
  '法务部',
  '产品部',
  '设计部',
  '运营部',
  '客服部',
  '采购部',
  '质量部',
  '测试组',
  '前端组',
  '后端组',
  '华东区',
  '华南区',
  '华北区',
  '西南区',
];
const TITLES = [
  '工程师',
  '高级工程师',
  '技术总监',
  '产品经理',
  '设计师',
  '销售代表',
  '会计',
  '行政专员',
  '运营专员',
];
const PLACES = ['未来park', '杭州总部', '北京办公室', '上海办公室', '深圳办公室'];

/**
 * A deterministic organisation: the same spec always gives the same org. It has the shapes
 * public syncers broke on: a department over 100 people, people in several departments,
 * people without mobile or email, numeric userids with leading zeros and 18 digits, Chinese
 * names, two departments with one name under different parents, and ≥ 3 levels.
 * O(users + departments): 100,000 users / 5,000 departments in well under a second.
 */
export function generateOrg(spec: OrgSpec): SimOrgData {
  const rng = mulberry32(spec.seed);
  const departments = generateDepartments(rng, Math.max(1, spec.departments), spec.depth ?? 4);
  const ids = departments.map((d) => d.dept_id);
  const users: SimUser[] = [];
  const total = Math.max(0, spec.users);
  const big = Math.min(
    total,
    spec.bigDepartmentSize ?? (total >= 500 ? Math.max(250, Math.floor(total / 20)) : Math.floor(total / 2)),
  );
  // The big department: the first one below the root (or the root of a one-department org).
  const bigId = ids[1] ?? ROOT_DEPT_ID;
  for (let seq = 0; seq < total; seq++) {
    const primary = seq < big ? bigId : (ids[pick(rng, ids.length)] ?? ROOT_DEPT_ID);
    const deptIds = [primary];
    if (ids.length > 1 && rng() < 0.15) {
      for (let extra = 1 + pick(rng, 2); extra > 0; extra--) {
        const id = ids[pick(rng, ids.length)] ?? ROOT_DEPT_ID;
        if (!deptIds.includes(id)) deptIds.push(id);
      }
    }
    users.push(makeUser(rng, spec.seed, seq, deptIds));
  }
  return { departments, users };
}

function generateDepartments(rng: Rng, count: number, depth: number): SimDepartment[] {
  const depts: { dept_id: number; name: string; parent_id?: number; level: number }[] = [
    { dept_id: ROOT_DEPT_ID, name: '模拟科技有限公司', level: 0 },
  ];
  const childNames = new Map<number, Set<string>>();
  const eligible: number[] = depth > 0 ? [0] : [];
  let nextId = 1000 + pick(rng, 1000);
  for (let i = 1; i < count && eligible.length > 0; i++) {
    // The first `depth` departments form a chain, so the tree reaches its full depth.
    const parentIndex = i <= depth ? i - 1 : (eligible[pick(rng, eligible.length)] ?? 0);
    const parent = depts[parentIndex] as (typeof depts)[number];
    const names = childNames.get(parent.dept_id) ?? new Set<string>();
    childNames.set(parent.dept_id, names);
    const base = DEPT_NAMES[pick(rng, DEPT_NAMES.length)] ?? '部门';
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base}${n}`;
    names.add(name);
    nextId += 1 + pick(rng, 40);
    const level = parent.level + 1;
    depts.push({ dept_id: nextId, name, parent_id: parent.dept_id, level });
    if (level < depth) eligible.push(depts.length - 1);
  }
  ensureSharedName(depts, childNames);
  return depts.map(({ dept_id, name, parent_id }) =>
    parent_id === undefined ? { dept_id, name } : { dept_id, name, parent_id },
  );
}

/** Two departments with one name under different parents, whatever the random draw gave. */
function ensureSharedName(
  depts: { dept_id: number; name: string; parent_id?: number }[],
  childNames: Map<number, Set<string>>,
): void {
  const byName = new Map<string, Set<number | undefined>>();
  for (const d of depts) {
    const parents = byName.get(d.name) ?? new Set();
    parents.add(d.parent_id);
    byName.set(d.name, parents);
    if (parents.size > 1) return;
  }
  const a = depts[1];
  const b = depts.find((d) => d.parent_id !== undefined && d.parent_id !== a?.parent_id);
  if (a === undefined || b === undefined || b.parent_id === undefined) return;
  const siblings = childNames.get(b.parent_id);
  if (siblings?.has(a.name) === true) return;
  siblings?.delete(b.name);
  siblings?.add(a.name);
  b.name = a.name;
}

/**
 * The userid of the `seq`th employee, unique by construction, in three real shapes: 17 digits
 * with a leading zero, 18 digits (beyond 2^53), and letters+digits.
 */
export function userIdOf(seq: number): string {
  return seq % 3 === 0
    ? `0${String(1e15 + seq).padStart(16, '0')}`
    : seq % 3 === 1
      ? `12345${String(1e12 + seq * 7919).padStart(13, '0')}`
      : `manager${seq.toString(36)}`;
}

/**
 * One employee, its userid from `seq` alone (`userIdOf`).
 */
export function makeUser(rng: Rng, seed: number, seq: number, deptIds: number[]): SimUser {
  const userid = userIdOf(seq);
  const name = `${SURNAMES[pick(rng, SURNAMES.length)] ?? '王'}${GIVEN[pick(rng, GIVEN.length)] ?? '伟'}${rng() < 0.6 ? (GIVEN[pick(rng, GIVEN.length)] ?? '') : ''}`;
  const unionid = unionidOf(rng);
  const active = rng() < 0.9;
  const hiredDate = 1_500_000_000_000 + pick(rng, 250_000_000) * 1000;
  const hasMobile = rng() < 0.85;
  // Unique per (seed, seq): an injective map into 9 digits for any realistic seq.
  const mobile = hasMobile
    ? `1${3 + (seq % 7)}${String((seed * 7_368_787 + seq * 7) % 1_000_000_000).padStart(9, '0')}`
    : undefined;
  const email = rng() < 0.7 ? `user${seq}.${seed}@example.com` : undefined;
  const orgEmail = rng() < 0.4 ? `u${seq}@corp.example.com` : undefined;
  const title = rng() < 0.5 ? TITLES[pick(rng, TITLES.length)] : undefined;
  const jobNumber = rng() < 0.6 ? String(10000 + seq) : undefined;
  const workPlace = rng() < 0.3 ? PLACES[pick(rng, PLACES.length)] : undefined;
  // Every key in one literal: one object shape for 100,000 users (absent = undefined, never sent).
  return {
    userid,
    unionid,
    name,
    mobile,
    state_code: hasMobile ? '86' : undefined,
    email,
    org_email: orgEmail,
    title,
    job_number: jobNumber,
    work_place: workPlace,
    telephone: undefined,
    remark: undefined,
    extension: undefined,
    avatar: undefined,
    hired_date: hiredDate,
    active,
    admin: seq === 0,
    boss: seq === 0,
    hide_mobile: false,
    exclusive_account: false,
    dept_id_list: deptIds,
  };
}

/** 27 random base-36 characters and the `iE` DingTalk's unionids end with (few allocations). */
function unionidOf(rng: Rng): string {
  const part = () =>
    Math.floor(rng() * 2 ** 45)
      .toString(36)
      .padStart(9, '0');
  return `${part()}${part()}${part()}iE`;
}
