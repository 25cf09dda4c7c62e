import { describe, expect, it } from 'vitest';
import { HOSTILE, helperHarness } from './helper.testing.js';

describe('#foreach', () => {
  it('exposes @index, @number, @first, @last, @even, @odd', () => {
    const { render, warnings } = helperHarness();
    const out = render(
      '{{#foreach list}}[{{@index}}{{@number}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}}{{#if @even}}E{{/if}}{{#if @odd}}O{{/if}}{{this}}]{{/foreach}}',
      { list: ['a', 'b', 'c'] },
    );
    expect(out).toBe('[01FOa][12Eb][23LOc]');
    expect(warnings).toEqual([]);
  });

  it('supports limit, from and to, and keeps @site', () => {
    const { render } = helperHarness();
    const list = [1, 2, 3, 4, 5];
    expect(render('{{#foreach list limit=2}}{{this}}{{/foreach}}', { list })).toBe('12');
    expect(render('{{#foreach list from=2 to=4}}{{this}}{{#if @last}}!{{/if}}{{/foreach}}', { list })).toBe('234!');
    expect(render('{{#foreach list limit=1}}{{@site.title}}{{/foreach}}', { list })).toBe('Northern Light');
  });

  it('renders the else block for empty or missing lists', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{#foreach list}}x{{else}}empty{{/foreach}}', { list: [] })).toBe('empty');
    expect(render('{{#foreach list}}x{{else}}empty{{/foreach}}', {})).toBe('empty');
    expect(warnings).toEqual([]);
  });

  it('escapes item values', () => {
    const { render } = helperHarness();
    const out = render('{{#foreach list}}<li title="{{this}}">{{this}}</li>{{/foreach}}', { list: [...HOSTILE] });
    expect(out).not.toMatch(/<script|<img|' onmouseover/);
  });

  it('renders nothing and warns on bad input', () => {
    const { render, warnings } = helperHarness();
    expect(render('{{#foreach list}}x{{else}}empty{{/foreach}}', { list: 'abc' })).toBe('');
    expect(render('{{#foreach list}}x{{/foreach}}', { list: { a: 1 } })).toBe('');
    expect(render('{{#foreach list limit=0}}x{{/foreach}}', { list: [1] })).toBe('');
    expect(render('{{foreach list}}', { list: [1] })).toBe('');
    expect(warnings).toHaveLength(4);
  });
});
