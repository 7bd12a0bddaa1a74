import { RemoteError, type RemoteErrorInit } from './remote-error.js';

/** What went wrong, coarse enough for an operator message and for `dtsync check`. */
export type DingTalkErrorKind =
  | 'credentials'
  | 'permission'
  | 'scope'
  | 'parameter'
  | 'ip_whitelist'
  | 'not_found'
  | 'quota'
  | 'token'
  | 'throttled'
  /** DingTalk banned this deployment's egress IP for longer than `dingtalkBan.maxWaitSeconds`. */
  | 'ip_banned'
  | 'busy'
  | 'server'
  | 'network'
  | 'malformed'
  | 'unknown';

export interface DingTalkErrorDetails extends RemoteErrorInit {
  readonly kind: DingTalkErrorKind;
  /** `errcode`, or `sub_code` for `errcode 88`, or the new-API `code`, or `http_<status>` / a network code. */
  readonly code: string;
  /** For 60011: the API permission DingTalk names, e.g. `qyapi_get_department_list`. */
  readonly permission?: string | undefined;
  /** HTTP attempts made for this call, retries included. */
  readonly attempts?: number | undefined;
}

/**
 * Every failure of the DingTalk client. Built from the API path, the remote code and our own
 * words only: got's errors (which hold the URL with its query, headers and options) never
 * escape, are never a `cause`, and are never logged.
 */
export class DingTalkError extends RemoteError {
  readonly service = 'dingtalk' as const;
  readonly kind: DingTalkErrorKind;
  readonly permission: string | undefined;
  readonly attempts: number;

  constructor(message: string, details: DingTalkErrorDetails) {
    super(message, details);
    this.kind = details.kind;
    this.permission = details.permission;
    this.attempts = details.attempts ?? 1;
  }
}
