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
  'notify.kind.quota': '钉钉月度调用额度已用 80%',
  'notify.quota.title': '钉钉同步：钉钉本月调用额度已用 80%（{org}）',
  'notify.quota.heading': '### 钉钉同步：钉钉本月调用额度已用 80%',
  'notify.quota.body':
    '组织 **{org}**（同步配置 {profile}）{month} 月已调用计量接口 {used} 次，额度 {quota} 次（{percent}%），按当前同步计划月底预计 {projected} 次（{at}）。',
  'notify.quota.hint':
    '超出额度后钉钉在本月剩余时间拒绝计量接口（90020），本服务会暂停预计超额的同步（待审批）：请在钉钉开放平台升级额度并调高 dingtalk.monthlyQuota，或降低同步频率。',
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
  'notify.kind.quota': 'DingTalk monthly quota at 80 %',
  'notify.quota.title': "DingTalk sync: 80 % of DingTalk's monthly quota used ({org})",
  'notify.quota.heading': "### DingTalk sync: 80 % of DingTalk's monthly quota used",
  'notify.quota.body':
    'Organisation **{org}** (profile {profile}) has made {used} metered calls in {month} of a quota of {quota} ({percent}%); {projected} are projected by the month’s end at the current schedule ({at}).',
  'notify.quota.hint':
    'Past the quota DingTalk refuses the metered APIs for the rest of the month (90020), and this service holds the runs that would pass it (awaiting approval): upgrade the quota on the DingTalk open platform and raise dingtalk.monthlyQuota, or sync less often.',
};
