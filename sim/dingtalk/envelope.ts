/** A simulated answer: JSON, raw text (gateway pages, malformed bodies), or a closed connection. */
export type SimResponse =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly text: string; readonly contentType: string }
  | { readonly reset: true };

let requestSeq = 0;

/** DingTalk-looking request ids (`request_id` on oapi, `requestid` on api). */
export function requestId(): string {
  requestSeq = (requestSeq + 1) % 2_000_000_000;
  return `sim${requestSeq.toString(36).padStart(9, '0')}`;
}

/** Legacy success: HTTP 200, `errcode 0`, the payload in `result`. */
export function oapiOk(result: unknown): SimResponse {
  return { status: 200, json: { errcode: 0, errmsg: 'ok', result, request_id: requestId() } };
}

/** Legacy error: HTTP 200 even so. */
export function oapiError(errcode: number, errmsg: string): SimResponse {
  return { status: 200, json: { errcode, errmsg, request_id: requestId() } };
}

/** Legacy error wrapped in 88: the cause in `sub_code`/`sub_msg`, echoed in `errmsg`. */
export function oapiSubError(subCode: string, subMsg: string): SimResponse {
  return {
    status: 200,
    json: {
      errcode: 88,
      sub_code: subCode,
      sub_msg: subMsg,
      errmsg: `ding talk error[subcode=${subCode},submsg=${subMsg}]`,
      request_id: requestId(),
    },
  };
}

/** New-API (api.dingtalk.com) error: HTTP 4xx/5xx with `code`/`message`/`requestid`. */
export function apiError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): SimResponse {
  return { status, json: { requestid: requestId(), code, message, ...extra } };
}

/** A gateway's HTML error page (what 5xx from DingTalk's edge look like). */
export function gatewayError(status: number): SimResponse {
  return {
    status,
    text: `<html><head><title>${status} Service Unavailable</title></head><body><center><h1>${status} Service Unavailable</h1></center></body></html>`,
    contentType: 'text/html',
  };
}
