// Tests that need something outside the repository (the CIFAR-10 sample beside it, a redis-server
// binary) skip where it is missing on a contributor's machine, but fail under CI=true, where
// .ci/run installs or provides it: a CI run that silently skipped them would prove nothing.
import { describe, it } from 'vitest';

/** True when the tests that need `what` must be skipped; under CI=true a missing one fails instead. */
export function skipWithout(present: boolean, what: string): boolean {
  if (present) return false;
  if (process.env.CI === 'true') {
    describe(`prerequisite: ${what}`, () => {
      it('is present (CI=true: a missing prerequisite fails rather than skips)', () => {
        throw new Error(
          `${what} is missing; .ci/run provides it, so under CI=true these tests fail instead of skipping`,
        );
      });
    });
  }
  return true;
}
