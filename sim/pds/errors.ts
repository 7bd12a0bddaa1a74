/**
 * An error answer of the simulated PDS: HTTP status, PDS code, message. The body is written by
 * the server in the casing the faults ask for (`code/message/request_id` or `Code/Message/RequestId`).
 */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export const missing = (field: string) =>
  new SimError(400, 'InvalidParameterMissing', `The input parameter ${field} is missing.`);

export const invalid = (field: string, why = 'is not valid') =>
  new SimError(400, 'InvalidParameter', `The input parameter ${field} ${why}.`);

export const outOfRange = (field: string, why = 'is out of range') =>
  new SimError(400, 'InvalidParameterOutOfRange', `The input parameter ${field} ${why}.`);

/** `NotFound.User`, `NotFound.Group`, … */
export const notFound = (resource: string, id: string) =>
  new SimError(404, `NotFound.${resource}`, `The resource ${resource.toLowerCase()} cannot be found: ${id}.`);

/** `AlreadyExist.User`, … */
export const alreadyExist = (resource: string, what: string) =>
  new SimError(
    409,
    `AlreadyExist.${resource}`,
    `The resource ${resource.toLowerCase()} has already existed: ${what}.`,
  );
