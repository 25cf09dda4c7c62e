import { describe, expect, it } from 'vitest';
import { authSettingsFromEnv } from './auth.settings.js';
import { ipBucket, LoginThrottle } from './login.throttle.js';

function setup() {
  let now = 1_000_000;
  const settings = { ...authSettingsFromEnv({}), now: () => now };
  return { throttle: new LoginThrottle(settings), advance: (ms: number) => (now += ms) };
}

describe('LoginThrottle', () => {
  it('blocks an account after 5 failures for the rest of the window, whoever asks', () => {
    const { throttle, advance } = setup();
    for (let i = 0; i < 4; i++) expect(throttle.fail('Bob', `10.0.0.${i}`).limitReached).toEqual([]);
    expect(throttle.check('bob', '10.0.0.9')).toEqual({ allowed: true });
    expect(throttle.fail('BOB ', '10.0.0.5').limitReached).toEqual(['account']);
    expect(throttle.check('bob', '10.0.0.9')).toEqual({ allowed: false, retryAfterSeconds: 900 });
    expect(throttle.check('alice', '10.0.0.9')).toEqual({ allowed: true });
    advance(60_000);
    expect(throttle.check('bob', '10.0.0.9')).toEqual({ allowed: false, retryAfterSeconds: 840 });
    advance(840_000);
    expect(throttle.check('bob', '10.0.0.9')).toEqual({ allowed: true });
  });

  it('blocks an IP after 20 failures across accounts; success clears the account only', () => {
    const { throttle } = setup();
    for (let i = 0; i < 19; i++) throttle.fail(`user${i}`, '192.0.2.1');
    expect(throttle.check('someone', '192.0.2.1').allowed).toBe(true);
    expect(throttle.fail('user19', '192.0.2.1').limitReached).toEqual(['ip']);
    expect(throttle.check('someone', '192.0.2.1').allowed).toBe(false);
    expect(throttle.check('someone', '192.0.2.2').allowed).toBe(true);
    for (let i = 0; i < 5; i++) throttle.fail('carol', `198.51.100.${i}`);
    expect(throttle.check('carol', '198.51.100.9').allowed).toBe(false);
    throttle.succeed('Carol');
    expect(throttle.check('carol', '198.51.100.9').allowed).toBe(true);
  });

  it('groups IPv6 clients by /64 and unwraps IPv4-mapped addresses', () => {
    expect(ipBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(ipBucket('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(ipBucket('::1')).toBe('0:0:0:0::/64');
    expect(ipBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(ipBucket('203.0.113.7')).toBe('203.0.113.7');
  });
});
