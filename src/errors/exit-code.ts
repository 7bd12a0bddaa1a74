/** The one exit-code table of every `dtsync` command (also in the README). */
export const ExitCode = {
  /** Success. */
  Ok: 0,
  /** The run failed, or the check found a problem. */
  Failed: 1,
  /** Invalid usage or config (commander's usage errors too). */
  Usage: 2,
  /** The run succeeded, with record errors. */
  SucceededWithErrors: 3,
  /** The run is held for approval. */
  Held: 4,
  /** Redis is unreachable; or, waiting, the run's last attempt could not reach DingTalk or PDS. */
  Unreachable: 5,
  /** Unknown profile or run. */
  NotFound: 6,
  /** The wait ended without an outcome: the run's job vanished, or Redis stayed unreachable. */
  NoOutcome: 7,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
