/**
 * The admin API's error bodies: `{error: <code>, message}`, the message `api.<code>` in the
 * request's language (src/web/errors.ts).
 */
export const webZh = {
  'api.bad_request': '请求不合法：{fields}',
  'api.not_found.profile': '未知的同步配置 "{id}"',
  'api.not_found.run': '未知的同步 "{id}"',
  'api.not_found.check': '未知的配置检测 "{id}"',
  'api.not_held': '同步 {runId} 不在待审批状态（{why}）',
  'api.unavailable': '无法连接 Redis，请稍后再试',
  'api.internal': '内部错误（见 web 进程日志）',
  'api.too_many_requests': '此地址登录失败次数过多，请 {minutes} 分钟后再试',
  'api.host_not_allowed':
    '控制台不响应主机名 {host}：请用 web.publicUrl 中的地址访问，或把它加入 web.allowedHosts（防 DNS 重绑定）',
  'api.unauthorized': '请用控制台用户登录，或发送 bearer token',
  'api.forbidden': '拒绝跨站请求',
  'api.csrf': 'CSRF 校验失败：请刷新页面后重试',
  'api.refused': '请求被拒绝（HTTP {status}）',
  'api.no_route': '没有这个地址：{method} {path}',
  'api.metrics_unauthorized': '请用 bearer token 发送 web.metricsToken，或登录',
} as const;

export const webEn: Readonly<Record<keyof typeof webZh, string>> = {
  'api.bad_request': 'bad request: {fields}',
  'api.not_found.profile': 'unknown profile "{id}"',
  'api.not_found.run': 'unknown run "{id}"',
  'api.not_found.check': 'unknown check "{id}"',
  'api.not_held': 'run {runId} is not awaiting approval ({why})',
  'api.unavailable': 'Redis is unreachable; try again later',
  'api.internal': 'internal error (see the web process log)',
  'api.too_many_requests': 'too many failed logins from this address; try again in {minutes} min',
  'api.host_not_allowed':
    'the console does not answer to the host name {host}: use the address in web.publicUrl, or add it to web.allowedHosts (a guard against DNS rebinding)',
  'api.unauthorized': 'log in with the console user, or send a bearer token',
  'api.forbidden': 'cross-origin requests are refused',
  'api.csrf': 'the CSRF token is missing or wrong: reload the page and try again',
  'api.refused': 'the request was refused (HTTP {status})',
  'api.no_route': 'no route {method} {path}',
  'api.metrics_unauthorized': 'send web.metricsToken as a bearer token, or log in',
};
