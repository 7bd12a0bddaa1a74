/**
 * What a run report stores as codes: why a run is held (`hold.<code>`), its warnings
 * (`warning.<code>`, src/report/warnings.ts), and the extra words of a failed record.
 */
export const runZh = {
  'hold.source_drop':
    '钉钉{what}减少了 {percent}%（{before} → {now}），对比{against}，超过 maxSourceDropPercent {max}%：请检查钉钉应用的接口权限与通讯录权限范围，确认确实减少后再批准',
  'hold.what.users': '人数',
  'hold.what.departments': '部门数',
  'hold.against.lastComplete': '上次完整读取（{at}）',
  'hold.against.managed': '本同步配置在 PDS 中管理的已启用用户',
  'hold.foreign_org':
    '本同步配置管理的已启用用户中只有 {percent}%（{present}/{total}）出现在钉钉通讯录中，低于 minOverlapPercent {min}%：钉钉应用可能属于另一个组织。请检查 dingtalk.appKey，确认是同一个组织后再批准',
  'hold.scope_changed':
    '同步范围自上次完整同步后发生了变化（配置的同步范围，或钉钉应用的通讯录权限范围），本次同步会禁用 {disables} 名不再在范围内的用户：请在钉钉开发者后台检查应用的通讯录权限范围，确认变化是有意的再批准',
  'hold.target_changed':
    'PDS 令牌所属的域是 {now}，而本同步配置上次完整同步写入的是域 {recorded}（{at}）：pds 配置可能指向了另一个公司的域，同步没有写入任何内容。请检查 pds.domainId、pds.baseUrl 与 pds.clientId，确认要同步到新的域后再批准',
  'hold.populated_domain':
    '这是本同步配置第一次同步到此 PDS 域，而域中已有 {unmanaged} 名未被任何同步管理的已启用用户，超过 maxFirstRunUnmanaged {max}，且 adoptExisting 为 off：同步会给已有账号的人再创建一个账号。请设置 sync.adoptExisting（ding、email 或 phone）关联已有用户，或确认后批准',
  'hold.disable_limit':
    '本次同步将禁用或清空手机号/邮箱的用户有 {users} 人，占本同步配置管理的 {managed} 名已启用用户的 {percent}%，超过 maxDisableCount {maxCount} 或 maxDisablePercent {maxPercent}%：请批准或拒绝',
  'hold.quota':
    '钉钉本月调用额度不够本次同步：组织 {org} {month} 月已调用计量接口 {used} 次，本次同步预计 {estimate} 次，额度 {quota} 次（dingtalk.monthlyQuota）。同步没有调用钉钉，以免中途收到 90020。批准后照常同步；也可在钉钉开放平台升级额度并调高 dingtalk.monthlyQuota，或等到下月',
  'hold.quota.noEstimate': '未知（尚无完整同步或配置检测）',
  'warning.mobile_not_authorised':
    '钉钉应用可能无权读取手机号（请开通“企业员工手机号信息”）：手机号与手机号登录方式保持不变',
  'warning.email_not_authorised': '钉钉应用可能无权读取 {field}（请开通“邮箱等个人信息”）：邮箱保持不变',
  'warning.hold_superseded': '本次暂停取代了之前暂停的同步 {runId}',
  'warning.would_hold': '正式同步会被暂停：{reason}',
  'warning.adminNotDisabled': '{pdsUserId} 已不在同步范围，但是管理员：同步从不禁用管理员',
  'warning.departmentGone':
    '部门 {deptId} 已删除或不在同步范围：部门组 {groupId} 保留（可能拥有网盘空间），同步移除了它的成员',
  'warning.departmentMoved':
    '部门 {deptId} 已移动：部门组 {groupId} 保持原位（PDS 不能移动部门组），如需要请手动移动',
  'warning.duplicateClaim': '{pdsUserId} 也关联了钉钉用户 {userid}：不做改动，请手动处理',
  'warning.duplicateGroup': '部门组 {groupId} 也对应部门 {deptId}：使用最早的部门组，此组不做改动',
  'warning.identity_reused':
    '钉钉 userid {userid} 已属于另一个人（unionid 不同）：原账号 {pdsUserId} 已封存（解除钉钉与手机号登录、移出部门组；普通用户同时禁用，管理员不禁用），此后同步不再改动它；新成员使用新账号 {successorPdsUserId}',
  'warning.target_moved': 'PDS 地址由 {from} 改为 {to}，域仍是 {domainId}（例如改用 VPC 地址）：同步照常进行',
  'warning.more': '…另有 {n} 条同类提示',
  'warning.stored_text': '{text}',
  'hold.stored_text': '{text}',
  'failure.linkedTo': '{reason}（已绑定到 {owner}）',
  'failure.candidates': '{reason}（候选用户：{candidates}），请手动关联正确的用户',
  'action.restore': '恢复',
  'action.by.ding': '钉钉账号',
  'action.by.email': '邮箱',
  'action.by.phone': '手机号',
  'action.department': '部门 {deptId}“{name}”',
  'action.deptId': '部门 {deptId}',
  'action.group': '部门组 {groupId} → “{name}”',
} as const;

export const runEn: Readonly<Record<keyof typeof runZh, string>> = {
  'hold.source_drop':
    "source {what} dropped {percent}% ({before} → {now}) against {against}, more than maxSourceDropPercent {max}%: check the DingTalk app's permissions and scope, then approve if the drop is real",
  'hold.what.users': 'users',
  'hold.what.departments': 'departments',
  'hold.against.lastComplete': 'the last complete snapshot ({at})',
  'hold.against.managed': 'the enabled users this profile manages in PDS',
  'hold.foreign_org':
    'only {percent}% ({present} of {total}) of the enabled users this profile manages are in the DingTalk snapshot, under minOverlapPercent {min}%: the DingTalk app may belong to another organisation. Check dingtalk.appKey, then approve if this is the right organisation',
  'hold.scope_changed':
    "the sync scope changed since the last complete run (the configured scope, or the departments and people the DingTalk app may read: 通讯录权限范围), and this run would disable {disables} people no longer in it: check the app's scope in the DingTalk developer console, then approve if the change is intended",
  'hold.target_changed':
    "the PDS token is for domain {now}, but this profile's last complete run wrote to domain {recorded} ({at}): the pds block may point at another company's domain, and nothing was written. Check pds.domainId, pds.baseUrl and pds.clientId, then approve if the new domain is meant",
  'hold.populated_domain':
    'this is the first run of this profile into this PDS domain, which already has {unmanaged} enabled users no sync manages, more than maxFirstRunUnmanaged {max}, with adoptExisting off: the sync would give people who have an account a second one. Set sync.adoptExisting (ding, email or phone) to take them over, or approve',
  'hold.disable_limit':
    'plan disables or clears the phone/email of {users} of {managed} managed enabled users ({percent}%), over maxDisableCount {maxCount} or maxDisablePercent {maxPercent}%: approve or reject the run',
  'hold.quota':
    "DingTalk's monthly quota would not last this run: organisation {org} has made {used} metered calls in {month}, this run would make {estimate}, the quota is {quota} (dingtalk.monthlyQuota). The run made no DingTalk call, rather than fail halfway on 90020. Approve to run it anyway; or upgrade the quota on the DingTalk open platform and raise dingtalk.monthlyQuota, or wait for next month",
  'hold.quota.noEstimate': 'unknown (no complete run or config check yet)',
  'warning.mobile_not_authorised':
    'the DingTalk app may not read mobile (grant 企业员工手机号信息): phones and phone logins were left as they are',
  'warning.email_not_authorised':
    'the DingTalk app may not read {field} (grant 邮箱等个人信息): emails were left as they are',
  'warning.hold_superseded': 'this hold supersedes the older hold {runId}',
  'warning.would_hold': 'a real run would be held: {reason}',
  'warning.adminNotDisabled':
    '{pdsUserId} is out of scope but is an admin: admins are never disabled by the sync',
  'warning.departmentGone':
    "department {deptId} is gone or out of scope: group {groupId} is kept (it may own drives); the sync's memberships in it are removed",
  'warning.departmentMoved':
    'department {deptId} moved; its group {groupId} stays where it is (PDS cannot re-parent a group): move it by hand if needed',
  'warning.duplicateClaim':
    '{pdsUserId} also claims DingTalk user {userid}; it is left alone (resolve by hand)',
  'warning.duplicateGroup':
    'group {groupId} also claims department {deptId}; the oldest group is used and this one is left alone',
  'warning.identity_reused':
    'DingTalk userid {userid} now belongs to another person (another unionid): the old account {pdsUserId} is retired (its DingTalk and phone logins removed, out of the groups; disabled unless it is an admin) and no run touches it again; the new person gets the account {successorPdsUserId}',
  'warning.target_moved':
    'the PDS base URL changed from {from} to {to}, for the same domain {domainId} (a VPC endpoint, say): the run went on',
  'warning.more': '… and {n} more such warnings',
  'warning.stored_text': '{text}',
  'hold.stored_text': '{text}',
  'failure.linkedTo': '{reason} (linked to {owner})',
  'failure.candidates': '{reason} (candidates: {candidates}); link the right one by hand',
  'action.restore': 'restore',
  'action.by.ding': 'DingTalk account',
  'action.by.email': 'email',
  'action.by.phone': 'phone',
  'action.department': 'department {deptId} “{name}”',
  'action.deptId': 'department {deptId}',
  'action.group': 'group {groupId} → “{name}”',
};
