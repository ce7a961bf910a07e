import { loginDelayMs } from './login-throttle';

describe('loginDelayMs', () => {
  const config = { freeFailuresPerAccount: 5, delayMs: 1000 };

  it('answers the free attempts at once, then doubles the wait from the 6th attempt on', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => loginDelayMs(attempt, config))).toEqual([0, 0, 0, 0, 0]);
    expect([6, 7, 8, 9, 10].map((attempt) => loginDelayMs(attempt, config))).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it('never holds an attempt longer than 30 s, and not at all with a zero delay', () => {
    expect(loginDelayMs(40, config)).toBe(30_000);
    expect(loginDelayMs(8, { freeFailuresPerAccount: 0, delayMs: 0 })).toBe(0);
  });
});
