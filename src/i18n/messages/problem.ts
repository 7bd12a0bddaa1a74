/**
 * Why something failed, as stored `{code, params}` (src/report/problem.ts): a DingTalk or PDS
 * error by its kind, or a run the worker refused. `problem.<code>`.
 */
export const problemZh = {
  'problem.dingtalk.credentials':
    '钉钉拒绝了应用凭证（{path} 返回 {code}）：appKey/appSecret 与钉钉应用不匹配',
  'problem.dingtalk.permission':
    '钉钉应用缺少接口权限 {permission}（{path} 返回 {code}）：请管理员在钉钉开发者后台开通',
  'problem.dingtalk.scope': '钉钉 {path} 返回 {code}：超出钉钉应用的通讯录权限范围',
  'problem.dingtalk.ip_whitelist':
    '钉钉拒绝了本服务器的 IP（{path} 返回 {code}）：请把出口 IP 加入钉钉应用的 IP 白名单',
  'problem.dingtalk.parameter': '钉钉认为 {path} 的参数不合法（{code}）',
  'problem.dingtalk.not_found': '钉钉 {path} 找不到要读取的对象（{code}）',
  'problem.dingtalk.quota':
    '钉钉本月接口调用量已用完（{path} 返回 {code}）：本组织本月的计量接口额度已耗尽，钉钉在本月剩余时间内拒绝这些接口。请在钉钉开放平台升级额度（立即生效），或等到下月 1 日（北京时间）；dtsync status 显示本月各接口的调用量',
  'problem.dingtalk.token': '钉钉拒绝了新获取的 access_token（{path} 返回 {code}）',
  'problem.dingtalk.throttled': '钉钉持续限流（{path} 返回 {code}），多次重试后仍失败',
  'problem.dingtalk.ip_banned':
    '钉钉封禁了本服务器的出口 IP（{path} 返回 {code}）：本部署的所有钉钉调用已暂停，封禁时长超过 dingtalkBan.maxWaitSeconds，同步失败并将稍后重试；请减少同一出口 IP 的钉钉调用量',
  'problem.dingtalk.busy': '钉钉持续繁忙（{path} 返回 {code}），多次重试后仍失败',
  'problem.dingtalk.server': '钉钉服务端错误（{path} 返回 {code}），多次重试后仍失败',
  'problem.dingtalk.network': '无法连接钉钉（{path}，{code}）',
  'problem.dingtalk.malformed': '钉钉 {path} 的应答格式不符合接口文档（{code}）',
  'problem.dingtalk.unknown': '钉钉 {path} 返回错误 {code}',
  'problem.pds.network': '无法连接 PDS（{path}，{code}）',
  'problem.pds.malformed': 'PDS {path} 的应答格式不符合接口文档（{code}）',
  'problem.pds.key': 'PDS 私钥不可用（{code}）：请检查 pds.privateKeyFile 或 pds.privateKey',
  'problem.pds.credentials': 'PDS 拒绝了 JWT 应用（{path} 返回 {code}）：请核对 clientId 与在 PDS 登记的公钥',
  'problem.pds.clock_skew':
    'PDS 拒绝了 JWT 断言（{path} 返回 {code}）：本服务器的时钟与 PDS 相差 {offset} 秒（正数为快，负数为慢），超过允许的 {margin} 秒，断言的签发时间因此无效。请用 NTP 校准本服务器时间（如 chronyd、systemd-timesyncd）后重试，不是 clientId 或公钥的问题',
  'problem.pds.forbidden': 'PDS 拒绝操作（{path} 返回 {code}）：JWT 应用可能缺少权限',
  'problem.pds.throttled': 'PDS 持续限流（{path} 返回 {code}），多次重试后仍失败',
  'problem.pds.server': 'PDS 暂时不可用（{path} 返回 {code}），多次重试后仍失败',
  'problem.pds.quota': '网盘用户数已达上限（{code}）',
  'problem.pds.other': 'PDS {path} 返回错误 {code}',
  'problem.aborted': '同步被取消',
  'problem.unknown_profile': '同步配置 "{profile}" 不在这个同步进程（worker）的配置中',
  'problem.sync_disabled': '同步配置 "{profile}" 的同步已关闭（sync.enabled: false）',
  'problem.config_mismatch':
    '配置不一致（config_mismatch）：同步配置 "{profile}" 发起时的配置是 {theirs}，这个同步进程（worker）的是 {mine}：请让 worker 或发起方重新加载配置（SIGHUP），使两边读取同一个文件',
  'problem.approval_not_held': '要批准的同步 {runId} 不是这个同步配置待审批的同步',
  'problem.unexpected': '意外错误：{message}（详见同步进程日志）',
  'problem.interrupted':
    '同步进程（worker）没有做完就中断了（例如进程重启，或与 Redis 断开）：请重试，或查看同步进程日志',
} as const;

export const problemEn: Readonly<Record<keyof typeof problemZh, string>> = {
  'problem.dingtalk.credentials':
    'DingTalk rejected the app credentials ({code} on {path}): the appKey/appSecret do not match a DingTalk app',
  'problem.dingtalk.permission':
    'the DingTalk app lacks the API permission {permission} ({code} on {path}): an admin must grant it in the DingTalk developer console',
  'problem.dingtalk.scope':
    "DingTalk answered {path} with {code}: outside the app's authorised contact scope",
  'problem.dingtalk.ip_whitelist':
    "DingTalk refused this server's IP ({code} on {path}): add its egress IP to the app's whitelist",
  'problem.dingtalk.parameter': 'DingTalk rejected the parameters of {path} ({code})',
  'problem.dingtalk.not_found': 'DingTalk found nothing at {path} ({code})',
  'problem.dingtalk.quota':
    "DingTalk's monthly call quota is spent ({code} on {path}): the organisation's metered APIs are refused for the rest of the month. Upgrade the quota on the DingTalk open platform (it takes effect at once), or wait for the 1st of next month (Beijing time); dtsync status shows this month's calls per API",
  'problem.dingtalk.token': 'DingTalk refused a fresh access token on {path} ({code})',
  'problem.dingtalk.throttled': 'DingTalk kept throttling {path} ({code}) through every retry',
  'problem.dingtalk.ip_banned':
    "DingTalk banned this server's egress IP ({code} on {path}) for longer than dingtalkBan.maxWaitSeconds: every DingTalk call of this deployment paused, the run failed and is retried later; lower the DingTalk calls made from this IP",
  'problem.dingtalk.busy': 'DingTalk stayed busy on {path} ({code}) through every retry',
  'problem.dingtalk.server': 'DingTalk answered {path} with a server error ({code}) through every retry',
  'problem.dingtalk.network': 'could not reach DingTalk for {path} ({code})',
  'problem.dingtalk.malformed': 'DingTalk answered {path} with a malformed body ({code})',
  'problem.dingtalk.unknown': 'DingTalk answered {path} with error {code}',
  'problem.pds.network': 'could not reach PDS for {path} ({code})',
  'problem.pds.malformed': 'PDS answered {path} with a malformed body ({code})',
  'problem.pds.key': 'the PDS private key is unusable ({code}): check pds.privateKeyFile or pds.privateKey',
  'problem.pds.credentials':
    'PDS rejected the JWT application ({code} on {path}): check the clientId and the public key registered in PDS',
  'problem.pds.clock_skew':
    "PDS refused the JWT assertion ({code} on {path}): this server's clock is {offset} s off PDS's (+ ahead, - behind), more than the {margin} s allowed, so the assertion's times are invalid. Set the clock right with NTP (chronyd, systemd-timesyncd) and run again; the clientId and key are not the cause",
  'problem.pds.forbidden': 'PDS refused it ({code} on {path}): the JWT application may lack permission',
  'problem.pds.throttled': 'PDS kept throttling {path} ({code}) through every retry',
  'problem.pds.server': 'PDS stayed unavailable on {path} ({code}) through every retry',
  'problem.pds.quota': "the domain's user quota is exhausted ({code})",
  'problem.pds.other': 'PDS answered {path} with error {code}',
  'problem.aborted': 'the run was cancelled',
  'problem.unknown_profile': 'unknown profile "{profile}": not in this worker\'s config',
  'problem.sync_disabled': 'sync is switched off for profile "{profile}" (sync.enabled: false)',
  'problem.config_mismatch':
    'config_mismatch: the run was asked with profile "{profile}" config {theirs}, this worker has {mine}: reload the worker (SIGHUP) or the enqueuer so both read the same file',
  'problem.approval_not_held': 'approved run {runId} is not a held run of this profile',
  'problem.unexpected': 'unexpected error: {message} (see the worker log)',
  'problem.interrupted':
    'the worker stopped before it finished (a restart, or it lost Redis): try again, or see the worker log',
};
