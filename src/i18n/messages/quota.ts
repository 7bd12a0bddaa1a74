/** DingTalk's monthly quota as `dtsync status` and the status page show it. */
export const quotaZh = {
  'quota.title': '钉钉本月调用量',
  'quota.counted': '组织 {org}，{month} 月：本服务已调用钉钉 {used} 次（未设置 dingtalk.monthlyQuota）',
  'quota.within':
    '组织 {org}，{month} 月：计量接口已用 {used} / {quota} 次（{percent}%），按当前同步计划月底预计 {projected} 次',
  'quota.near':
    '组织 {org}，{month} 月：计量接口已用 {used} / {quota} 次（{percent}%），按当前同步计划月底预计 {projected} 次，已达到或将达到额度的 80%',
  'quota.refused': '钉钉本月已拒绝 {refused} 次调用（额度已用完，90020）：{apis}',
  'quota.apis': '各接口：{apis}',
} as const;

export const quotaEn: Readonly<Record<keyof typeof quotaZh, string>> = {
  'quota.title': 'DingTalk calls this month',
  'quota.counted':
    'organisation {org}, {month}: {used} DingTalk calls by this service (no dingtalk.monthlyQuota set)',
  'quota.within':
    'organisation {org}, {month}: {used} of {quota} metered calls ({percent}%), {projected} projected by the month’s end at the current schedule',
  'quota.near':
    'organisation {org}, {month}: {used} of {quota} metered calls ({percent}%), {projected} projected by the month’s end at the current schedule: 80 % of the quota or more',
  'quota.refused': 'DingTalk refused {refused} calls this month (quota spent, 90020): {apis}',
  'quota.apis': 'by API: {apis}',
};
