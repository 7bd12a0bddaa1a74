/**
 * Disables and what leads to them: the reason codes (`disableReason.<code>`,
 * src/plan/disable-reason.ts), the warnings of confirming an absence, the grace, the disable
 * budget. zh-CN uses the PDS console's word for a disable: 禁用.
 */
export const disablesZh = {
  'disableReason.left': '已离职',
  'disableReason.leftWith': '已离职（离职记录：{leaveReason}）',
  'disableReason.out_of_scope': '不在应用的通讯录权限范围内',
  'disableReason.moved_out': '已调出同步的部门',
  'disableReason.unexplained': '原因不明（宽限期后再次查询仍不明）',
  'disableReason.identity_reused': '钉钉身份已被他人使用',
  'disableReason.unconfirmed': '待确认（同步被暂停，尚未查询）',
  'action.disableWith': '禁用（{reason}）',
  'warning.walkMissed':
    '本次读取的钉钉通讯录中没有 {name}（{userid}），但钉钉查到其仍在部门“{department}”（{deptId}），通讯录本应列出：不禁用，请检查钉钉通讯录',
  'warning.absenceInGrace':
    '{name}（{userid}）已不在钉钉通讯录中，原因不明（没有离职记录）：宽限期至 {until}，届时再查询一次，仍不明才禁用',
  'warning.leave_records_unreadable':
    '无法读取钉钉离职记录（{code}，权限 {permission}）：查不到的人员按原因不明处理，宽限期后才禁用',
  'check.leave_records': '钉钉离职记录（empLeaveRecords）',
  'check.leave_records.ok': '可以读取：离职人员按“已离职”立即禁用',
  'check.leave_records.missing': '缺少钉钉接口权限 {permission}：查不到的人员只能在宽限期后按“原因不明”禁用',
  'check.leave_records.missing.fix':
    '请在钉钉开发者后台（open-dev.dingtalk.com → 应用 → 权限管理）开通 {permission}，然后重新检测',
  'check.leave_records.fail': '{problem}',
  'hold.disable_budget':
    '滚动禁用限额：过去 24 小时已禁用 {day} 人（maxDisablesPerDay {maxDay}），过去 7 天已禁用 {week} 人（maxDisablesPerWeek {maxWeek}）；本次禁用 {applied} 人，其余 {held} 人暂停：请批准或拒绝',
  'grace.title': '离开原因不明、宽限期内暂不禁用的人员',
  'grace.none': '无',
  'grace.person': '{name}（{userid}）：宽限至 {until}，届时再查询一次',
  'cli.status.grace': '  宽限期内：{name}（{userid}），至 {until}',
  'trigger.grace': '宽限期复查',
  'demo.change.vanish': '组织变化：{name} 不在钉钉中了，但没有离职记录（原因不明：宽限期后再查询一次才禁用）',
} as const;

export const disablesEn: Readonly<Record<keyof typeof disablesZh, string>> = {
  'disableReason.left': 'left the company',
  'disableReason.leftWith': 'left the company (leave record: {leaveReason})',
  'disableReason.out_of_scope': "out of the app's authorised scope",
  'disableReason.moved_out': 'moved out of the synced departments',
  'disableReason.unexplained': 'unexplained (still so when read again after its grace)',
  'disableReason.identity_reused': 'DingTalk identity reused by someone else',
  'disableReason.unconfirmed': 'not confirmed (the run was held before anyone was read)',
  'action.disableWith': 'disable ({reason})',
  'warning.walkMissed':
    '{name} ({userid}) was missing from the walk, yet DingTalk finds them in department “{department}” ({deptId}), whose listing should have shown them: not disabled; check DingTalk',
  'warning.absenceInGrace':
    '{name} ({userid}) is gone from DingTalk without a leave record: in grace until {until}, then read once more and disabled only if still unexplained',
  'warning.leave_records_unreadable':
    "DingTalk's leave records could not be read ({code}, permission {permission}): people not found stay unexplained and are disabled only after their grace",
  'check.leave_records': 'DingTalk leave records (empLeaveRecords)',
  'check.leave_records.ok': 'readable: leavers are disabled at once as having left',
  'check.leave_records.missing':
    'missing DingTalk permission {permission}: people not found can only be disabled as unexplained, after their grace',
  'check.leave_records.missing.fix':
    'grant {permission} in the DingTalk developer console (open-dev.dingtalk.com → your app → 权限管理 / Permissions), then run check again',
  'check.leave_records.fail': '{problem}',
  'hold.disable_budget':
    'rolling disable budget: {day} disabled in the last 24 hours (maxDisablesPerDay {maxDay}) and {week} in the last 7 days (maxDisablesPerWeek {maxWeek}); this run disabled {applied} and holds the other {held}: approve or reject the run',
  'grace.title': 'Gone without explanation, not disabled during their grace',
  'grace.none': 'none',
  'grace.person': '{name} ({userid}): in grace until {until}, then read once more',
  'cli.status.grace': '  in grace: {name} ({userid}) until {until}',
  'trigger.grace': 'grace re-read',
  'demo.change.vanish':
    'org change: {name} is gone from DingTalk without a leave record (unexplained: disabled only if still so after the grace)',
};
