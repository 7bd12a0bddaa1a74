/**
 * Every dtsync metric: its name, type, help and label names, in one list. The store, the
 * registry, the docs table and the alert-rule test all read it; no label holds a person.
 */
export const METRICS = {
  runs: {
    name: 'dtsync_runs_total',
    type: 'counter',
    help: 'Sync runs that ended, by how they ended (a failed attempt BullMQ retries is "retrying"; dry runs are "dry_run").',
    labels: ['profile', 'trigger', 'status'],
  },
  runDuration: {
    name: 'dtsync_run_duration_seconds',
    type: 'histogram',
    help: 'How long each run attempt took, from start to its saved report.',
    labels: ['profile', 'trigger'],
  },
  lastSuccess: {
    name: 'dtsync_last_success_timestamp_seconds',
    type: 'gauge',
    help: 'When the last real (not dry) run of a profile that wrote its changes finished, succeeded or succeeded with record errors.',
    labels: ['profile'],
  },
  schedulePeriod: {
    name: 'dtsync_schedule_period_seconds',
    type: 'gauge',
    help: 'The period of a scheduled profile (daily, weekly, monthly as 28 days); absent for manual profiles.',
    labels: ['profile'],
  },
  changes: {
    name: 'dtsync_changes_total',
    type: 'counter',
    help: 'Changes written to PDS, by action.',
    labels: ['profile', 'action'],
  },
  recordsFailed: {
    name: 'dtsync_records_failed_total',
    type: 'counter',
    help: 'Records (people or groups) a run could not write.',
    labels: ['profile'],
  },
  runsHeld: {
    name: 'dtsync_runs_held',
    type: 'gauge',
    help: 'Runs held for approval now (0 or 1 per profile).',
    labels: ['profile'],
  },
  heldSince: {
    name: 'dtsync_run_held_since_timestamp_seconds',
    type: 'gauge',
    help: 'When the run now held for approval started; absent when none is held.',
    labels: ['profile'],
  },
  remoteCalls: {
    name: 'dtsync_remote_calls_total',
    type: 'counter',
    help: 'Calls to DingTalk and PDS, each attempt counted, by API path and outcome (ok, throttled, error).',
    labels: ['service', 'api', 'outcome'],
  },
  notifications: {
    name: 'dtsync_notifications_total',
    type: 'counter',
    help: 'Notifications sent, by channel and outcome (ok, error, timeout, rate_limited).',
    labels: ['channel', 'outcome'],
  },
  dingtalkMonthCalls: {
    name: 'dtsync_dingtalk_month_calls',
    type: 'gauge',
    help: "DingTalk calls of an organisation this quota month (Beijing's natural month), each attempt counted, by every profile and role, by API path.",
    labels: ['org', 'api'],
  },
  dingtalkMonthRefused: {
    name: 'dtsync_dingtalk_month_refused',
    type: 'gauge',
    help: "DingTalk's answers this quota month that the organisation's monthly quota is spent (90020, Forbidden.AccessDenied.ApiCountLimitForOrg), by the API that answered.",
    labels: ['org', 'api'],
  },
  dingtalkMonthUsed: {
    name: 'dtsync_dingtalk_month_used_calls',
    type: 'gauge',
    help: 'The calls of this quota month that the monthly quota counts (dingtalk.meteredApis; every call by default).',
    labels: ['org'],
  },
  dingtalkMonthlyQuota: {
    name: 'dtsync_dingtalk_monthly_quota',
    type: 'gauge',
    help: "The organisation's monthly quota of metered calls (dingtalk.monthlyQuota); absent when none is set.",
    labels: ['org'],
  },
  dingtalkMonthProjected: {
    name: 'dtsync_dingtalk_month_projected_calls',
    type: 'gauge',
    help: "The metered calls projected by the quota month's end: its use so far plus each scheduled run left at its profile's last measured calls; absent without a quota.",
    labels: ['org'],
  },
  workersOnline: {
    name: 'dtsync_workers_online',
    type: 'gauge',
    help: 'Sync workers connected to the queue now (BullMQ getWorkers).',
    labels: [],
  },
} as const;

export type MetricKey = keyof typeof METRICS;

/** Upper bounds of the run-duration histogram, in seconds: a 100-user org to a 100k first run. */
export const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200] as const;
