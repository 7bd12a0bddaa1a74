import { translator } from '../i18n/catalog.js';
import { problemText, type Problem } from './problem.js';

/** An error whose cause is already a problem code (its message is the English wording, for logs). */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problemText(problem, translator('en')));
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
