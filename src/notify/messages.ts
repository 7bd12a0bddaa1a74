/*
 * Every text a notification carries, in zh-CN (the default) and en, in the PDS console's words
 * (钉钉同步, 同步失败, 待审批, 导入结果, 失败原因, 详情). One module, so the web role's message
 * catalog can take these keys over as they are.
 */
import type { Person } from '../report/types.js';

export type Locale = 'zh-CN' | 'en';

/** What an open incident is about; one message opens it, one "resolved" message closes it. */
export type IncidentKind = 'failed' | 'held' | 'record_errors' | 'stale';

/** A markdown message: DingTalk shows the title in the chat list and the text in the chat. */
export interface Message {
  readonly title: string;
  readonly text: string;
}

export interface FailedFacts {
  readonly profileId: string;
  readonly runId: string;
  readonly at: string;
  readonly error: string;
  readonly link: string | undefined;
}

export interface HeldFacts {
  readonly profileId: string;
  readonly runId: string;
  readonly at: string;
  readonly reason: string;
  /** The first people it would disable, named. */
  readonly people: readonly Person[];
  /** How many it would disable in all. */
  readonly total: number;
  readonly link: string | undefined;
}

export interface RecordErrorsFacts {
  readonly profileId: string;
  readonly runId: string;
  readonly at: string;
  readonly failed: number;
  /** The first failed records: who, and why. */
  readonly first: readonly { readonly who: string; readonly reason: string }[];
  readonly link: string | undefined;
}

export interface StaleFacts {
  readonly profileId: string;
  readonly at: string;
  /** When the last successful run finished, if ever. */
  readonly lastSuccess: string | undefined;
  readonly period: 'daily' | 'weekly' | 'monthly';
}

export interface ResolvedFacts {
  readonly profileId: string;
  readonly runId: string;
  readonly at: string;
  readonly kinds: readonly IncidentKind[];
  readonly link: string | undefined;
}

/** How many people a held-run message names; the rest are counted. */
export const HELD_NAMED = 10;

/** Markdown's special characters in names and reasons from DingTalk or PDS are shown as text. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`).replace(/\s*\n\s*/g, ' ');
}

const person = (p: Person) =>
  `${md(p.name)} (${md(p.userid)}${p.departments.length > 0 ? `, ${md(p.departments.join(' / '))}` : ''})`;

const linkLine = (label: string, link: string | undefined) =>
  link === undefined ? [] : [`[${label}](${link})`];

const lines = (...parts: (string | readonly string[])[]) => parts.flat().join('\n\n');

interface Catalog {
  failed(f: FailedFacts): Message;
  held(f: HeldFacts): Message;
  recordErrors(f: RecordErrorsFacts): Message;
  stale(f: StaleFacts): Message;
  resolved(f: ResolvedFacts): Message;
}

const ZH_KIND: Record<IncidentKind, string> = {
  failed: '同步失败',
  held: '待审批',
  record_errors: '部分记录导入失败',
  stale: '长时间未成功同步',
};
const ZH_PERIOD = { daily: '每天', weekly: '每周', monthly: '每月' } as const;

const zh: Catalog = {
  failed: (f) => ({
    title: `钉钉同步：同步失败（${f.profileId}）`,
    text: lines(
      `### 钉钉同步：同步失败`,
      `同步配置：**${md(f.profileId)}**，运行：${md(f.runId)}，时间：${f.at}`,
      `失败原因：${md(f.error)}`,
      linkLine('详情', f.link),
    ),
  }),
  held: (f) => ({
    title: `钉钉同步：待审批（${f.profileId}）`,
    text: lines(
      `### 钉钉同步：待审批`,
      `同步配置：**${md(f.profileId)}**，运行：${md(f.runId)}，时间：${f.at}`,
      `暂停原因：${md(f.reason)}`,
      f.total === 0
        ? '本次同步不会停用任何人。'
        : `批准后将停用 ${f.total} 人${f.total > f.people.length ? `，前 ${f.people.length} 人` : ''}：`,
      f.people.map((p) => `- ${person(p)}`).join('\n'),
      f.total > f.people.length ? `……另有 ${f.total - f.people.length} 人` : [],
      '请在状态页面或用 `dtsync approve` 批准或拒绝。',
      linkLine('详情', f.link),
    ),
  }),
  recordErrors: (f) => ({
    title: `钉钉同步：${f.failed} 条记录导入失败（${f.profileId}）`,
    text: lines(
      `### 钉钉同步：导入结果有失败`,
      `同步配置：**${md(f.profileId)}**，运行：${md(f.runId)}，时间：${f.at}`,
      `失败 ${f.failed} 条。失败原因：`,
      f.first.map((x) => `- ${md(x.who)}：${md(x.reason)}`).join('\n'),
      linkLine('导入结果', f.link),
    ),
  }),
  stale: (f) => ({
    title: `钉钉同步：长时间未成功同步（${f.profileId}）`,
    text: lines(
      `### 钉钉同步：长时间未成功同步`,
      `同步配置：**${md(f.profileId)}**（${ZH_PERIOD[f.period]}同步）已超过两个同步周期没有成功同步。`,
      `上次成功同步：${f.lastSuccess ?? '从未'}，检查时间：${f.at}`,
      '新员工可能无法登录，离职员工可能仍可访问。请检查 `dtsync status` 和工作进程的日志。',
    ),
  }),
  resolved: (f) => ({
    title: `钉钉同步：已恢复（${f.profileId}）`,
    text: lines(
      `### 钉钉同步：已恢复`,
      `同步配置：**${md(f.profileId)}**，运行 ${md(f.runId)} 同步成功（${f.at}）。`,
      `已解决：${f.kinds.map((k) => ZH_KIND[k]).join('、')}`,
      linkLine('详情', f.link),
    ),
  }),
};

const EN_KIND: Record<IncidentKind, string> = {
  failed: 'sync failed',
  held: 'awaiting approval',
  record_errors: 'records failed',
  stale: 'no successful sync',
};

const en: Catalog = {
  failed: (f) => ({
    title: `DingTalk sync failed (${f.profileId})`,
    text: lines(
      `### DingTalk sync: sync failed`,
      `Profile **${md(f.profileId)}**, run ${md(f.runId)}, at ${f.at}`,
      `Reason: ${md(f.error)}`,
      linkLine('Details', f.link),
    ),
  }),
  held: (f) => ({
    title: `DingTalk sync awaiting approval (${f.profileId})`,
    text: lines(
      `### DingTalk sync: awaiting approval`,
      `Profile **${md(f.profileId)}**, run ${md(f.runId)}, at ${f.at}`,
      `Held because: ${md(f.reason)}`,
      f.total === 0
        ? 'It would disable no one.'
        : `Approving it disables ${f.total} ${f.total === 1 ? 'person' : 'people'}${f.total > f.people.length ? `, the first ${f.people.length}` : ''}:`,
      f.people.map((p) => `- ${person(p)}`).join('\n'),
      f.total > f.people.length ? `… and ${f.total - f.people.length} more` : [],
      'Approve or reject it on the status page or with `dtsync approve`.',
      linkLine('Details', f.link),
    ),
  }),
  recordErrors: (f) => ({
    title: `DingTalk sync: ${f.failed} records failed (${f.profileId})`,
    text: lines(
      `### DingTalk sync: records failed`,
      `Profile **${md(f.profileId)}**, run ${md(f.runId)}, at ${f.at}`,
      `${f.failed} failed. Reasons:`,
      f.first.map((x) => `- ${md(x.who)}: ${md(x.reason)}`).join('\n'),
      linkLine('Import results', f.link),
    ),
  }),
  stale: (f) => ({
    title: `DingTalk sync: no successful sync (${f.profileId})`,
    text: lines(
      `### DingTalk sync: no successful sync for two periods`,
      `Profile **${md(f.profileId)}** (synced ${f.period}) has not synced successfully for more than two periods.`,
      `Last successful sync: ${f.lastSuccess ?? 'never'}; checked at ${f.at}`,
      'New hires may be unable to log in and leavers may keep access. Check `dtsync status` and the worker logs.',
    ),
  }),
  resolved: (f) => ({
    title: `DingTalk sync resolved (${f.profileId})`,
    text: lines(
      `### DingTalk sync: resolved`,
      `Profile **${md(f.profileId)}**: run ${md(f.runId)} succeeded at ${f.at}.`,
      `Resolved: ${f.kinds.map((k) => EN_KIND[k]).join(', ')}`,
      linkLine('Details', f.link),
    ),
  }),
};

export const MESSAGES: Record<Locale, Catalog> = { 'zh-CN': zh, en };
