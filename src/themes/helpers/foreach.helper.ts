/**
 * `#foreach`: loops over a list, with position variables and an `{{else}}` for empty lists.
 *
 * ```hbs
 * {{#foreach album.photos}}
 *   <figure class="{{#if @first}}first{{/if}} {{#if @even}}even{{/if}}">{{@number}}. {{alt}}</figure>
 * {{else}}
 *   <p>{{t "No photos yet."}}</p>
 * {{/foreach}}
 * {{#foreach recent limit=6}}...{{/foreach}}
 * {{#foreach album.albums from=2 to=4}}...{{/foreach}}   {{!-- items 2 to 4, 1-based --}}
 * ```
 *
 * Inside the block: `@index` (0-based), `@number` (1-based), `@first`, `@last`, `@even`, `@odd`
 * (by `@number`), and `@site`/`@custom` as everywhere. `null`/missing lists render the `{{else}}`
 * part; a value that is not a list renders nothing and logs a warning.
 */
import Handlebars from 'handlebars';
import type { HelperFactory } from './helper.types.js';
import { splitArgs, warn } from './helper.support.js';

function positiveInt(value: unknown): number | undefined | false {
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : false;
}

export const foreachHelper: HelperFactory = (env) =>
  function foreach(this: unknown, ...args: unknown[]) {
    const { params, options } = splitArgs(args);
    if (typeof options.fn !== 'function') return warn(env, options, 'is a block helper: {{#foreach list}}...{{/foreach}}');
    const list = params[0];
    if (list === undefined || list === null) return options.inverse(this);
    if (!Array.isArray(list)) return warn(env, options, 'expects a list');
    const limit = positiveInt(options.hash.limit);
    const from = positiveInt(options.hash.from);
    const to = positiveInt(options.hash.to);
    if (limit === false || from === false || to === false) return warn(env, options, 'limit=, from= and to= must be whole numbers from 1');
    const start = (from ?? 1) - 1;
    let end = Math.min(list.length, to ?? list.length);
    if (limit !== undefined) end = Math.min(end, start + limit);
    const items = list.slice(start, Math.max(start, end));
    if (items.length === 0) return options.inverse(this);
    let out = '';
    items.forEach((item, i) => {
      const data = Handlebars.createFrame(options.data ?? {});
      Object.assign(data, {
        index: i,
        number: i + 1,
        first: i === 0,
        last: i === items.length - 1,
        even: (i + 1) % 2 === 0,
        odd: (i + 1) % 2 === 1,
        key: i,
      });
      out += options.fn(item, { data, blockParams: [item, i] });
    });
    return out;
  };
