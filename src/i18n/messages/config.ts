/**
 * Problems of the config file (src/config/problems.ts): `configProblem.<code>`, each shown after
 * its path (`profiles[0].sync.schedule.hour`), which stays as written in the YAML.
 */
export const configZh = {
  'configProblem.line': '{path}：{problem}',
  'configProblem.unreadable': '无法读取配置文件（{errno}）',
  'configProblem.yaml': 'YAML 格式错误：{message}',
  'configProblem.env_unset': '环境变量 {name} 未设置',
  'configProblem.env_unset_web': '环境变量 {name} 未设置（只有 web 角色需要）',
  'configProblem.unknown_key': '未知的配置项（请检查拼写）',
  'configProblem.required': '必填',
  'configProblem.not_empty': '不能为空',
  'configProblem.range': '必须是 {min} 到 {max} 的整数',
  'configProblem.day_of_month': '必须是 1 到 31 的整数，或 "last"',
  'configProblem.http_url': '必须是 http(s) 网址',
  'configProblem.time_zone': '必须是 IANA 时区，例如 Asia/Shanghai',
  'configProblem.required_when_auto': 'mode 为 auto 时必填（{values}）',
  'configProblem.required_when_weekly': 'frequency 为 weekly 时必填（{values}）',
  'configProblem.required_when_monthly': 'frequency 为 monthly 时必填（1 到 31，或 "last"）',
  'configProblem.department_id': '部门 ID 必须 ≥ 1',
  'configProblem.department_ids_empty': '请至少列出一个部门 ID',
  'configProblem.scope_mode': 'mode 必须是 all 或 departments',
  'configProblem.robot_webhook': '必须是带 access_token=… 的钉钉机器人 Webhook 地址',
  'configProblem.profile_id': '必须是 1 到 40 个字符，只能包含 a-z、0-9 和 -',
  'configProblem.positive': '必须 > 0',
  'configProblem.domain_id': '必须是 PDS 域 ID，例如 bj1',
  'configProblem.one_key': 'privateKeyFile 与 privateKey 必须设置其中一个，且只能设置一个',
  'configProblem.token_name': '必须是 1 到 40 个字符，只能包含 A-Z、a-z、0-9、_ . -',
  'configProblem.username_password': 'username 与 password 必须同时设置',
  'configProblem.auth_missing': '请设置用户名和密码，或至少一个 token（只监听本机地址时可以用 auth: none）',
  'configProblem.auth_shape': '必须是 none，或 {username, password, tokens}',
  'configProblem.token_entry':
    '必须是 {name, token}，不能只写 token 本身：每个 token 都要有名字（记录为操作人）',
  'configProblem.weak_password':
    '太短：控制台密码至少需要 {min} 个字符，短密码可以被猜中（可用 openssl rand -base64 18 生成）',
  'configProblem.weak_token':
    '太短：token 至少需要 {min} 个字符，短 token 可以被猜中（可用 openssl rand -hex 24 生成）',
  'configProblem.trust_proxy':
    '必须是 true、false，或代理的地址/网段列表（例如 [127.0.0.1, 10.0.0.0/8]）；不接受跳数：跳数分不清代理和直接访问端口的客户端',
  'configProblem.proxy_address':
    '必须是 IP 地址或网段（例如 10.0.0.0/8），或 loopback、linklocal、uniquelocal',
  'configProblem.host_name': '必须是主机名，不带协议和端口，例如 dtsync.internal',
  'configProblem.redis_url': '必须是 redis:// 或 rediss:// 地址',
  'configProblem.redis_nodes': '请至少列出一个地址（host 和 port）',
  'configProblem.redis_sentinel_and_cluster': 'sentinel 与 cluster 只能设置其中一个',
  'configProblem.redis_url_and_mode': '设置了 redis.{mode} 时不能再设置 url：本服务通过 {mode} 找到 Redis',
  'configProblem.redis_env_url':
    '环境变量 REDIS_URL 已设置，而配置使用 redis.{mode}：请取消 REDIS_URL，或去掉 redis.{mode}',
  'configProblem.redis_hash_tag':
    'Redis Cluster 要求前缀带有哈希标签（例如 {example}），让 BullMQ 和本服务的所有键落在同一个槽中',
  'configProblem.no_profiles': '请至少定义一个同步配置（profile）',
  'configProblem.duplicate_id': '与 profiles[{other}].id "{id}" 重复',
  'configProblem.duplicate_domain':
    'PDS 域 "{domainId}" 已由 profiles[{other}] 同步：多个同步配置可以共用一个钉钉应用，但不能共用一个 PDS 域',
  'configProblem.org_setting_differs':
    '同一钉钉组织（{org}）的同步配置必须设置相同的 {key}：它们共用一个每月调用额度。现为：{profiles}',
  'configProblem.api_path': '必须是钉钉接口路径，以 / 开头，例如 /topapi/v2/user/list',
  'configProblem.api_paths_empty': '请至少列出一个接口路径，或删除此项（默认计入本服务的全部钉钉调用）',
  'configProblem.invalid_type': '类型不对：应为 {expected}',
  'configProblem.invalid_value': '必须是以下之一：{values}',
  'configProblem.too_small': '必须 ≥ {minimum}',
  'configProblem.too_big': '必须 ≤ {maximum}',
  'configProblem.invalid_format': '格式不对',
  'configProblem.invalid': '取值不合法',
  'configProblem.key.KeyFileMissing': 'PDS 私钥文件 {file} 不存在',
  'configProblem.key.KeyFileUnreadable': 'PDS 私钥文件 {file} 无法读取（没有读权限，或是一个目录）',
  'configProblem.key.KeyNotPem':
    'PDS 私钥文件 {file} 不是 PEM 格式的可读私钥（若私钥已加密，请去掉密码后保存）',
  'configProblem.key.KeyNotPrivate': 'PDS 私钥文件 {file} 是公钥或证书，不是私钥：请配置密钥对中的私钥',
  'configProblem.key.KeyNotRsa': 'PDS 私钥文件 {file} 不是 RSA 私钥：PDS 的 JWT 应用使用 RS256 签名',
  'configProblem.key.KeyTooShort': 'PDS 私钥文件 {file} 的 RSA 密钥太短：RS256 至少需要 2048 位',
  'configProblem.key.other': 'PDS 私钥文件 {file} 不可用（{code}）',
} as const;

export const configEn: Readonly<Record<keyof typeof configZh, string>> = {
  'configProblem.line': '{path}: {problem}',
  'configProblem.unreadable': 'cannot read the config file ({errno})',
  'configProblem.yaml': 'YAML: {message}',
  'configProblem.env_unset': 'environment variable {name} is not set',
  'configProblem.env_unset_web': 'environment variable {name} is not set (needed only by the web role)',
  'configProblem.unknown_key': 'unknown key (check its spelling)',
  'configProblem.required': 'required',
  'configProblem.not_empty': 'must not be empty',
  'configProblem.range': 'must be {min}-{max}',
  'configProblem.day_of_month': 'must be 1-31 or "last"',
  'configProblem.http_url': 'must be an http(s) URL',
  'configProblem.time_zone': 'must be an IANA time zone such as Asia/Shanghai',
  'configProblem.required_when_auto': 'required when mode is auto ({values})',
  'configProblem.required_when_weekly': 'required when frequency is weekly ({values})',
  'configProblem.required_when_monthly': 'required when frequency is monthly (1-31 or "last")',
  'configProblem.department_id': 'department ids are >= 1',
  'configProblem.department_ids_empty': 'list at least one department id',
  'configProblem.scope_mode': 'mode must be all or departments',
  'configProblem.robot_webhook': 'must be the robot webhook URL with its access_token=…',
  'configProblem.profile_id': 'must be 1-40 characters of a-z, 0-9 and -',
  'configProblem.positive': 'must be > 0',
  'configProblem.domain_id': 'must be a PDS domain id such as bj1',
  'configProblem.one_key': 'set exactly one of privateKeyFile or privateKey',
  'configProblem.token_name': 'must be 1-40 characters of A-Z, a-z, 0-9, _ . -',
  'configProblem.username_password': 'set username and password together',
  'configProblem.auth_missing':
    'set a username and password, or at least one token (or auth: none on a loopback host)',
  'configProblem.auth_shape': 'must be none or {username, password, tokens}',
  'configProblem.token_entry':
    'must be {name, token}, not a bare token: each token has a name, recorded as who acted',
  'configProblem.weak_password':
    'too short: a console password needs at least {min} characters, a shorter one can be guessed (make one with openssl rand -base64 18)',
  'configProblem.weak_token':
    'too short: a token needs at least {min} characters, a shorter one can be guessed (make one with openssl rand -hex 24)',
  'configProblem.trust_proxy':
    "must be true, false, or a list of the proxy's addresses or CIDR ranges (e.g. [127.0.0.1, 10.0.0.0/8]); not a hop count, which cannot tell the proxy from a client reaching the port directly",
  'configProblem.proxy_address':
    'must be an IP address or CIDR range (e.g. 10.0.0.0/8), or loopback, linklocal or uniquelocal',
  'configProblem.host_name': 'must be a host name without scheme or port, e.g. dtsync.internal',
  'configProblem.redis_url': 'must be a redis:// or rediss:// URL',
  'configProblem.redis_nodes': 'list at least one address (host and port)',
  'configProblem.redis_sentinel_and_cluster': 'set sentinel or cluster, not both',
  'configProblem.redis_url_and_mode':
    'cannot be set together with redis.{mode}: the service finds Redis through the {mode}',
  'configProblem.redis_env_url':
    'REDIS_URL is set in the environment, but the config uses redis.{mode}: unset REDIS_URL or remove redis.{mode}',
  'configProblem.redis_hash_tag':
    "on a Redis Cluster the prefix needs a hash tag such as {example}, so that BullMQ's keys and the service's share one slot",
  'configProblem.no_profiles': 'define at least one profile',
  'configProblem.duplicate_id': 'duplicates profiles[{other}].id "{id}"',
  'configProblem.duplicate_domain':
    'PDS domain "{domainId}" is already synced by profiles[{other}]: two profiles may share a DingTalk app, never a PDS domain',
  'configProblem.org_setting_differs':
    'profiles of one DingTalk organisation ({org}) must set the same {key}: they share one monthly call quota. Now: {profiles}',
  'configProblem.api_path': 'must be a DingTalk API path starting with /, such as /topapi/v2/user/list',
  'configProblem.api_paths_empty':
    'list at least one API path, or leave the key out (the default counts every DingTalk call of the sync)',
  'configProblem.invalid_type': 'expected {expected}',
  'configProblem.invalid_value': 'must be one of {values}',
  'configProblem.too_small': 'must be >= {minimum}',
  'configProblem.too_big': 'must be <= {maximum}',
  'configProblem.invalid_format': 'invalid format',
  'configProblem.invalid': 'invalid value',
  'configProblem.key.KeyFileMissing': 'PDS private key file {file} does not exist',
  'configProblem.key.KeyFileUnreadable':
    'PDS private key file {file} cannot be read (permission denied, or a directory)',
  'configProblem.key.KeyNotPem':
    'PDS private key file {file} is not a PEM file holding a readable private key (if it is encrypted, store it without a passphrase)',
  'configProblem.key.KeyNotPrivate':
    'PDS private key file {file} holds a public key or a certificate, not a private key: configure the private half of the key pair',
  'configProblem.key.KeyNotRsa':
    'PDS private key file {file} holds no RSA key: PDS JWT applications sign with RS256',
  'configProblem.key.KeyTooShort':
    'PDS private key file {file} is an RSA key under 2048 bits: RS256 needs at least 2048',
  'configProblem.key.other': 'PDS private key file {file} is unusable ({code})',
};
