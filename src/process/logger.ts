import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Keys that must never reach a log line, wherever they sit. Config secrets are also
 * `Secret` objects that serialise as `***`; this is the second belt.
 */
const REDACT = [
  'appSecret',
  'appsecret',
  'access_token',
  'accessToken',
  'assertion',
  'privateKey',
  'password',
  'authorization',
  'headers.authorization',
  'headers["x-acs-dingtalk-access-token"]',
  '*.appSecret',
  '*.appsecret',
  '*.access_token',
  '*.accessToken',
  '*.assertion',
  '*.privateKey',
  '*.password',
  '*.authorization',
];

export interface LoggerSettings {
  readonly level?: string;
  /** Where JSON lines go; default stderr, so stdout stays for command output. */
  readonly destination?: NodeJS.WritableStream;
  /** Pretty output; default only when stderr is a TTY. */
  readonly pretty?: boolean;
}

/** The one root logger of a process: JSON, pretty only on a TTY; components take children. */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { pid: process.pid },
    redact: { paths: REDACT, censor: '***' },
  };
  const pretty = settings.pretty ?? (settings.destination === undefined && process.stderr.isTTY);
  if (pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } },
    });
  }
  return pino(options, (settings.destination as pino.DestinationStream | undefined) ?? pino.destination(2));
}
