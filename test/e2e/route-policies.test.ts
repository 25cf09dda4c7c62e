import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routesWithoutPolicy } from '../../src/access/route-policy.audit.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('every HTTP route declares its access policy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('has no route without @Public() or @CheckPolicies()', () => {
    expect(routesWithoutPolicy(t.app)).toEqual([]);
  });
});
