/** The CLI's errors and config lines (`cli.*` beyond the run output of the core catalog). */
export const cliZh = {
  'cli.error': '错误：{message}',
  'cli.unknownProfile': '未知的同步配置 "{profile}"（已有：{known}）',
  'cli.unknownLanguage': '未知的语言 "{lang}"：请用 zh-CN 或 en',
  'cli.noSimulators': '这个镜像里没有模拟器：请使用 demo 镜像',
  'cli.redisUnreachable': '无法连接 Redis（{url}，{cause}）：请启动 Redis，或设置 REDIS_URL',
  'cli.noReport': '同步 {runId} 已结束，但没有同步记录（见同步进程日志）',
  'cli.unknownReason': '原因未知',
  'cli.config.invalid': '配置文件 {file} 有错误：',
  'cli.config.note': '提示：{problem}',
  'cli.config.valid': '配置文件 {file} 有效：{n} 个同步配置',
  'cli.web.no_section': 'web 角色需要配置文件中的 web: 部分（host、port、auth）',
  'cli.web.open_no_auth':
    'web.auth 为 none，但 web.host {host} 不是本机地址：请设置用户名和密码或 token，或把 host 设为 127.0.0.1',
  'cli.web.unset': '以下环境变量未设置：{what}',
  'cli.status.channel.dingtalkRobot': '钉钉机器人',
  'cli.status.channel.webhook': 'Webhook',
  'cli.status.outcome.ok': '已送达',
  'cli.status.outcome.error': '发送失败',
  'cli.status.outcome.timeout': '超时',
} as const;

export const cliEn: Readonly<Record<keyof typeof cliZh, string>> = {
  'cli.error': 'error: {message}',
  'cli.unknownProfile': 'unknown profile "{profile}" (known: {known})',
  'cli.unknownLanguage': 'unknown language "{lang}": use zh-CN or en',
  'cli.noSimulators': 'the simulators are not in this image: use the demo target',
  'cli.redisUnreachable': 'Redis at {url} is unreachable ({cause}); start it or set REDIS_URL',
  'cli.noReport': "run {runId} finished without a report (see the worker's log)",
  'cli.unknownReason': 'unknown',
  'cli.config.invalid': 'invalid config {file}:',
  'cli.config.note': 'note: {problem}',
  'cli.config.valid': 'config {file} is valid: {n} profile(s)',
  'cli.web.no_section': 'the web role needs a web: section in the config (host, port, auth)',
  'cli.web.open_no_auth':
    'web.auth is none but web.host {host} is not a loopback address: set a username and password or tokens, or host 127.0.0.1',
  'cli.web.unset': 'environment variable not set for {what}',
  'cli.status.channel.dingtalkRobot': 'DingTalk robot',
  'cli.status.channel.webhook': 'webhook',
  'cli.status.outcome.ok': 'ok',
  'cli.status.outcome.error': 'error',
  'cli.status.outcome.timeout': 'timeout',
};
