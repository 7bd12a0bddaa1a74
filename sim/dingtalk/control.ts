import type { SimState } from './context.js';
import type { Counters, SimCounters } from '../counters.js';
import { faultsPatchSchema, mergeFaults, type DingTalkFaults, type FaultsPatch } from './faults.js';
import { applyOrgOp, type OrgChange, type OrgOp } from './org-mutations.js';
import type { SimOrgData } from './org-types.js';
import type { StreamGateway } from './stream/gateway.js';

/** The simulator's control operations: in-process for tests, and over HTTP under `/_sim/`. */
export class DingTalkSimControl {
  constructor(
    private readonly state: SimState,
    private readonly calls: Counters,
    /** The Stream gateway: its knobs, actions and record (docs in stream/routes.ts). */
    readonly stream: StreamGateway,
  ) {}

  counters(): SimCounters {
    return this.calls.snapshot();
  }

  resetCounters(): void {
    this.calls.reset();
  }

  faults(): DingTalkFaults {
    return this.state.faults;
  }

  /** Merges a partial faults object; `expireTokensNow: true` expires every token issued so far. */
  setFaults(patch: FaultsPatch): DingTalkFaults {
    const parsed = faultsPatchSchema.parse(patch);
    this.state.faults = mergeFaults(this.state.faults, parsed);
    if (parsed.expireTokensNow === true) this.expireTokens();
    return this.state.faults;
  }

  /** Test aid: every access token issued so far. */
  tokensIssued(): string[] {
    return this.state.tokens.issued();
  }

  expireTokens(): void {
    this.state.tokens.expireAll(Date.now());
  }

  org(): SimOrgData {
    return this.state.store.data();
  }

  /** Applies one mutation; connected Stream clients get the matching events. */
  mutate(op: OrgOp): OrgChange {
    const change = applyOrgOp(this.state, op);
    this.stream.orgChanged(change);
    return change;
  }
}
