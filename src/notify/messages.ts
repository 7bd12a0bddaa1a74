/*
 * The notifications' layout (markdown for a DingTalk robot); every word comes from the one
 * message catalog (src/i18n, `notify.*`), in the PDS console's words.
 */
import { translator, type Locale } from '../i18n/catalog.js';
import type { Person, ReportHeldReason, RunError, RunFailure } from '../report/types.js';
import { actionText, failureText, heldText, runErrorText } from '../report/words.js';

export type { Locale };

/** What an open incident is about; one message opens it, one "resolved" message closes it. */
export type IncidentKind = 'failed' | 'held' | 'record_errors' | 'stale' | 'quota';

/** A markdown message: DingTalk shows the title in the chat list and the text in the chat. */
export interface Message {
  readonly title: string;
  readonly text: string;
}

export interface FailedFacts {
  readonly profileId: string;
  readonly runId: string;
  readonly at: string;
  /** The run's error, worded in the message's language; undefined when the run saved no report. */
  readonly error: Pick<RunError, 'message' | 'problem'> | undefined;
  /** The job's own error line (English, from the worker) when no report was saved, quoted as such. */
  readonly jobError?: string | undefined;
  readonly link: string | undefined;
}

export interface HeldFacts {
  readonly profileId: string;
  readonly runId: string;
  readonly at: string;
  /** Absent only if the report lost it; the message then says no reason. */
  readonly reason: ReportHeldReason | undefined;
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
  readonly first: readonly {
    /** The person's name or id; empty for a group's record (its action names the department). */
    readonly who: string;
    readonly failure: Pick<RunFailure, 'action' | 'kind' | 'reason' | 'params'>;
  }[];
  readonly link: string | undefined;
}

export interface StaleFacts {
  readonly profileId: string;
  readonly at: string;
  /** When the last successful run finished, if ever. */
  readonly lastSuccess: string | undefined;
  readonly period: 'daily' | 'weekly' | 'monthly';
}

/** An organisation at the alert's 80 % of its DingTalk monthly quota (used, or projected). */
export interface QuotaFacts {
  readonly profileId: string;
  readonly org: string;
  readonly month: string;
  readonly used: number;
  readonly quota: number;
  readonly percent: number;
  readonly projected: number;
  readonly at: string;
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
  quota(f: QuotaFacts): Message;
  resolved(f: ResolvedFacts): Message;
}

/** The messages of one locale: the layout here, every word from the message catalog. */
function messagesIn(locale: Locale): Catalog {
  const t = translator(locale);
  const runLine = (f: { profileId: string; runId: string; at: string }) =>
    t('notify.runLine', { profile: md(f.profileId), runId: md(f.runId), at: f.at });
  return {
    failed: (f) => ({
      title: t('notify.failed.title', { profile: f.profileId }),
      text: lines(
        t('notify.failed.heading'),
        runLine(f),
        f.error === undefined
          ? [
              t('notify.failed.noReport'),
              ...(f.jobError === undefined ? [] : [t('notify.failed.workerSaid', { error: md(f.jobError) })]),
            ]
          : t('notify.failed.reason', { error: md(runErrorText(f.error, t)) }),
        linkLine(t('notify.details'), f.link),
      ),
    }),
    held: (f) => ({
      title: t('notify.held.title', { profile: f.profileId }),
      text: lines(
        t('notify.held.heading'),
        runLine(f),
        t('notify.held.reason', { reason: md(f.reason === undefined ? '' : heldText(f.reason, t)) }),
        f.total === 0
          ? t('notify.held.none')
          : f.total > f.people.length
            ? t('notify.held.totalFirst', { total: f.total, first: f.people.length })
            : t('notify.held.total', { total: f.total }),
        f.people.map((p) => `- ${person(p)}`).join('\n'),
        f.total > f.people.length ? t('notify.held.more', { n: f.total - f.people.length }) : [],
        t('notify.held.how'),
        linkLine(t('notify.details'), f.link),
      ),
    }),
    recordErrors: (f) => ({
      title: t('notify.errors.title', { failed: f.failed, profile: f.profileId }),
      text: lines(
        t('notify.errors.heading'),
        runLine(f),
        t('notify.errors.count', { failed: f.failed }),
        f.first
          .map((x) => {
            const what = actionText(x.failure.action, t);
            const head = x.who === '' ? what : t('notify.errors.record', { who: x.who, action: what });
            return `- ${md(head)}: ${md(failureText(x.failure, t))}`;
          })
          .join('\n'),
        linkLine(t('notify.importResult'), f.link),
      ),
    }),
    stale: (f) => ({
      title: t('notify.stale.title', { profile: f.profileId }),
      text: lines(
        t('notify.stale.heading'),
        t('notify.stale.body', { profile: md(f.profileId), period: t(`notify.period.${f.period}`) }),
        t('notify.stale.last', { last: f.lastSuccess ?? t('notify.stale.never'), at: f.at }),
        t('notify.stale.hint'),
      ),
    }),
    quota: (f) => ({
      title: t('notify.quota.title', { org: f.org }),
      text: lines(
        t('notify.quota.heading'),
        t('notify.quota.body', {
          profile: md(f.profileId),
          org: md(f.org),
          month: f.month,
          used: f.used,
          quota: f.quota,
          percent: f.percent,
          projected: f.projected,
          at: f.at,
        }),
        t('notify.quota.hint'),
      ),
    }),
    resolved: (f) => ({
      title: t('notify.resolved.title', { profile: f.profileId }),
      text: lines(
        t('notify.resolved.heading'),
        t('notify.resolved.body', { profile: md(f.profileId), runId: md(f.runId), at: f.at }),
        t('notify.resolved.kinds', {
          kinds: f.kinds.map((k) => t(`notify.kind.${k}`)).join(t('notify.listSep')),
        }),
        linkLine(t('notify.details'), f.link),
      ),
    }),
  };
}

export const MESSAGES: Record<Locale, Catalog> = { 'zh-CN': messagesIn('zh-CN'), en: messagesIn('en') };
