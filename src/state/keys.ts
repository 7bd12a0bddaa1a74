/**
 * Every Redis key of the service's own state (BullMQ keeps its own under the same prefix).
 * The prefix carries a {hash tag}, so all of them live in one Redis Cluster slot. Every value
 * (and every hash field and set member) is stored with its schema version: stored-shapes.ts.
 */
export class StateKeys {
  constructor(readonly prefix: string) {}

  /** The counts of the last complete snapshot of a profile for one scope. */
  lastComplete(profileId: string, scopeKey: string): string {
    return `${this.prefix}:state:${profileId}:complete:${scopeKey}`;
  }

  /** The scope key of the profile's last complete run (which scope it was syncing). */
  lastScope(profileId: string): string {
    return `${this.prefix}:state:${profileId}:scope`;
  }

  /** The PDS domain (token `domain_id`, base URL) the profile's last complete run wrote to. */
  lastTarget(profileId: string): string {
    return `${this.prefix}:state:${profileId}:target`;
  }

  /** SET of the PDS users whose link work was started and not finished. */
  linksPending(profileId: string): string {
    return `${this.prefix}:state:${profileId}:links-pending`;
  }

  /** HASH of DingTalk userid → when a run first saw that disabled person back in scope. */
  reentries(profileId: string): string {
    return `${this.prefix}:state:${profileId}:reentries`;
  }

  /** HASH of DingTalk userid → a managed person missing from the walk: since when, and what confirming found. */
  absences(profileId: string): string {
    return `${this.prefix}:state:${profileId}:absences`;
  }

  /** ZSET of the disables the sync made (member: run and user), scored by when: the rolling disable budget. */
  disables(profileId: string): string {
    return `${this.prefix}:state:${profileId}:disables`;
  }

  /** A run's summary (before schema version 3: its whole report). Its parts are the keys below. */
  run(runId: string): string {
    return `${this.prefix}:run:${runId}`;
  }

  /**
   * LIST of the run's change log in gzipped chunks of a fixed size: its changes (before schema
   * version 3, its failures too).
   */
  runChanges(runId: string): string {
    return `${this.prefix}:run:${runId}:changes`;
  }

  /** LIST of what each chunk of the change log holds, counted: a page is found from it alone. */
  runChangesIndex(runId: string): string {
    return `${this.prefix}:run:${runId}:changes:index`;
  }

  /** LIST of the run's failed records in gzipped chunks, apart from its changes (a page of few failures reads few chunks). */
  runFailures(runId: string): string {
    return `${this.prefix}:run:${runId}:failures`;
  }

  /** LIST of what each chunk of the failures holds, counted. */
  runFailuresIndex(runId: string): string {
    return `${this.prefix}:run:${runId}:failures:index`;
  }

  /** LIST of the run's held changes in gzipped chunks (each person once). */
  runHeld(runId: string): string {
    return `${this.prefix}:run:${runId}:held`;
  }

  /** LIST of what each chunk of the held changes holds, counted. */
  runHeldIndex(runId: string): string {
    return `${this.prefix}:run:${runId}:held:index`;
  }

  /** The departments the run's records name, with their ancestors (gzipped). */
  runDepartments(runId: string): string {
    return `${this.prefix}:run:${runId}:departments`;
  }

  /** The people back in scope the run listed (gzipped). */
  runReentries(runId: string): string {
    return `${this.prefix}:run:${runId}:reentries`;
  }

  /** Every warning of the run (gzipped); the summary carries the first ones. */
  runWarnings(runId: string): string {
    return `${this.prefix}:run:${runId}:warnings`;
  }

  /** HASH of attempt number → what that attempt of the run has applied so far. */
  runAttempts(runId: string): string {
    return `${this.prefix}:run:${runId}:attempts`;
  }

  /** Every key of one run, for when history forgets it. */
  runParts(runId: string): string[] {
    return [
      this.run(runId),
      this.runChanges(runId),
      this.runChangesIndex(runId),
      this.runFailures(runId),
      this.runFailuresIndex(runId),
      this.runHeld(runId),
      this.runHeldIndex(runId),
      this.runDepartments(runId),
      this.runReentries(runId),
      this.runWarnings(runId),
      this.runAttempts(runId),
    ];
  }

  /** ZSET of a profile's run ids by start time. */
  runs(profileId: string): string {
    return `${this.prefix}:runs:${profileId}`;
  }

  /** The run id of a profile's current hold, awaiting approval. */
  held(profileId: string): string {
    return `${this.prefix}:held:${profileId}`;
  }

  /** HASH of PDS user id → the person's card as the last complete run left them (src/people). */
  personCards(profileId: string): string {
    return `${this.prefix}:people:${profileId}:cards`;
  }

  /** ZSET (all scores 0, read by lex range) of `<kind>:<value>\t<PDS user id>`: the person search. */
  personFind(profileId: string): string {
    return `${this.prefix}:people:${profileId}:find`;
  }

  /** HASH of PDS user id → the changes the sync made to that person. */
  personHistory(profileId: string): string {
    return `${this.prefix}:people:${profileId}:history`;
  }

  /** The DingTalk departments as the last complete run saw them. */
  departments(profileId: string): string {
    return `${this.prefix}:people:${profileId}:departments`;
  }

  /**
   * HASH of an organisation's DingTalk calls in one quota month (`YYYY-MM`, Beijing time), shared
   * by every profile and role: `call:<path>` and `refused:<path>` (DingTalk answered 90020)
   * counters, and `schemaVersion`. It expires two months after its month ends.
   */
  dingtalkCalls(org: string, month: string): string {
    return `${this.prefix}:dingtalk-calls:${org}:${month}`;
  }

  /** HASH of profile id → the DingTalk calls one run of it makes (its last complete walk, or a check's). */
  callEstimates(): string {
    return `${this.prefix}:dingtalk-estimates`;
  }

  /** Lock held while a run of the profile is active. */
  profileLock(profileId: string): string {
    return `${this.prefix}:lock:profile:${profileId}`;
  }
}
