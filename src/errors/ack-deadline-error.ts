/**
 * An event's handler did not finish within the ACK deadline (5 s after the frame arrived), or
 * its connection closed first: the event gets no ACK, and DingTalk redelivers it.
 */
export class AckDeadlineError extends Error {
  constructor(message = 'past the ACK deadline') {
    super(message);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
