import type { DingTalkErrorKind } from '../errors/dingtalk-error.js';

/** What an operator reads: the path, the code and what to do; never a query, header or token. */
export function describeFailure(
  kind: DingTalkErrorKind,
  path: string,
  code: string,
  detail: string | undefined,
  permission: string | undefined,
  attempts: number,
): string {
  const said = detail === undefined || detail === '' ? '' : `: ${detail}`;
  switch (kind) {
    case 'credentials':
      return `DingTalk rejected the app credentials (${code} on ${path}): the appKey/appSecret do not match a DingTalk app`;
    case 'permission':
      return `the DingTalk app lacks the API permission ${permission ?? `needed by ${path}`} (${code} on ${path}): an admin must grant it in the DingTalk developer console`;
    case 'scope':
      return `DingTalk answered ${path} with ${code}: outside the app's authorised contact scope${said}`;
    case 'ip_whitelist':
      return `DingTalk refused this server's IP (${code} on ${path}): add its egress IP to the app's whitelist`;
    case 'parameter':
      return `DingTalk rejected the parameters of ${path} (${code})${said}`;
    case 'not_found':
      return `DingTalk answered ${path} with ${code}${said}`;
    case 'quota':
      return `DingTalk's monthly call quota of the organisation is spent (${code} on ${path})${said}`;
    case 'token':
      return `DingTalk refused a fresh access token on ${path} (${code})${said}`;
    case 'throttled':
      return `DingTalk kept throttling ${path} (${code}) after ${attempts} attempts`;
    case 'ip_banned':
      return `DingTalk banned this server's egress IP (${code} on ${path})${said}: every DingTalk call of the deployment is paused`;
    case 'busy':
      return `DingTalk stayed busy (${code}) on ${path} after ${attempts} attempts`;
    case 'server':
      return `DingTalk answered ${path} with HTTP ${code.replace('http_', '')} after ${attempts} attempts`;
    case 'network':
      return `could not reach DingTalk for ${path} (${code}) after ${attempts} attempts`;
    case 'malformed':
      return `DingTalk answered ${path} with a malformed body after ${attempts} attempts${said}`;
    case 'unknown':
      return `DingTalk answered ${path} with error ${code}${said}`;
  }
}

/** DingTalk's own words, shortened, with any secret it might echo masked. */
export function scrub(text: string | undefined, secrets: readonly string[]): string | undefined {
  if (text === undefined) return undefined;
  let out = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  for (const s of secrets) if (s !== '') out = out.split(s).join('***');
  return out;
}
