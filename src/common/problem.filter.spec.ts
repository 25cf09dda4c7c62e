import { NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { Errors } from './errors.js';
import { toProblem } from './problem.filter.js';

describe('toProblem', () => {
  it('maps a VitrineError onto status, code and field errors', () => {
    const p = toProblem(Errors.invalid('album.name_required', 'An album needs a name.', [{ path: 'name', message: 'must not be empty' }]), '/x');
    expect(p).toMatchObject({ status: 400, code: 'album.name_required', detail: 'An album needs a name.', instance: '/x' });
    expect(p.errors).toEqual([{ path: 'name', message: 'must not be empty' }]);
    expect(toProblem(Errors.notFound('album', 7)).status).toBe(404);
    expect(toProblem(Errors.conflict('x', 'y')).status).toBe(409);
  });

  it('hides the details of unexpected errors', () => {
    const p = toProblem(new Error('password=hunter2 in connection string'));
    expect(p.status).toBe(500);
    expect(p.detail).not.toContain('hunter2');
  });

  it('maps Nest HTTP exceptions', () => {
    expect(toProblem(new NotFoundException('Cannot GET /nope'))).toMatchObject({ status: 404, code: 'route.not_found' });
  });
});
