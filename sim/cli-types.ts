/** Options of `dtsync simulate`, shared by both simulators' CLI entry points. */
export interface SimulateOptions {
  /** Port of the DingTalk simulator; 0 or undefined = a free one. */
  readonly dingtalkPort?: number | undefined;
  /** Port of the PDS simulator; 0 or undefined = a free one. */
  readonly pdsPort?: number | undefined;
  readonly users: number;
  readonly departments: number;
  readonly depth?: number | undefined;
  readonly seed: number;
  /** DingTalk per-app, per-API QPS limit enforced over any sliding second (undefined = none). */
  readonly dingtalkQps?: number | undefined;
  /** PDS per-domain QPS limit enforced over any sliding second (undefined = none). */
  readonly pdsQps?: number | undefined;
  readonly domainId?: string | undefined;
  /** Where the PDS simulator writes its fresh key pair. */
  readonly keyDir?: string | undefined;
}

export interface DingTalkSimulatorInfo {
  readonly url: string;
  readonly appKey: string;
  readonly appSecret: string;
}

export interface PdsSimulatorInfo {
  readonly url: string;
  readonly domainId: string;
  readonly clientId: string;
  readonly privateKeyFile: string;
}

export interface RunningSimulator<Info> {
  readonly info: Info;
  close(): Promise<void>;
}
