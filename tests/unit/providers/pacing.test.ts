import { describe, expect, it } from 'vitest';
import { CircuitBreaker, createSpacer, type Clock } from '../../../src/providers/yahoo/pacing.js';

/** Time moves only when someone sleeps. */
function fakeClock(): Clock & { slept: number[] } {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

describe(createSpacer.name, () => {
  it('spaces starts by the interval, queueing concurrent callers in order', async () => {
    // Three calls at the same instant: the 2nd must wait 1 s, the 3rd 2 s.
    const waits: number[] = [];
    const frozen: Clock = { now: () => 0, sleep: async (ms) => void waits.push(ms) };
    const space = createSpacer(1000, frozen);
    await Promise.all([space(), space(), space()]);
    expect(waits).toEqual([1000, 2000]);
  });

  it('does not wait when calls are already far apart, nor at interval 0', async () => {
    const clock = fakeClock();
    const space = createSpacer(1000, clock);
    await space();
    await clock.sleep(5000);
    await space();
    expect(clock.slept).toEqual([5000]);
    await createSpacer(0, clock)();
  });
});

describe(CircuitBreaker.name, () => {
  function breaker() {
    const clock = fakeClock();
    const events: string[] = [];
    const b = new CircuitBreaker({
      threshold: 3,
      cooldownMs: 60_000,
      clock,
      onOpen: ({ reopened }) => events.push(reopened ? 'reopen' : 'open'),
      onClose: () => events.push('close'),
    });
    return { b, clock, events };
  }

  it('opens after `threshold` consecutive failures, once', () => {
    const { b, events } = breaker();
    b.failure();
    b.failure();
    expect(b.isOpen()).toBe(false);
    b.failure();
    b.failure();
    expect(b.isOpen()).toBe(true);
    expect(events).toEqual(['open']);
  });

  it('resets the count on success', () => {
    const { b } = breaker();
    b.failure();
    b.failure();
    b.success();
    b.failure();
    b.failure();
    expect(b.isOpen()).toBe(false);
  });

  it('holds calls for the cool-down, then lets a trial through', async () => {
    const { b, clock, events } = breaker();
    for (let i = 0; i < 3; i++) b.failure();
    await b.ready();
    expect(clock.slept).toEqual([60_000]);
    expect(b.isOpen()).toBe(false);
    b.failure(); // the trial fails: open again at once
    expect(b.isOpen()).toBe(true);
    await b.ready();
    b.success();
    expect(events).toEqual(['open', 'reopen', 'close']);
  });
});
