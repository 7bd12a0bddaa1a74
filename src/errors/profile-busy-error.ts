/** The profile already has a run in progress (in this or another worker). */
export class ProfileBusyError extends Error {
  constructor(readonly profileId: string) {
    super(`a run of profile ${profileId} is already in progress`);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
