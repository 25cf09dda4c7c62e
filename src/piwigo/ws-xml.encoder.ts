import { phpIsNumeric } from './php/php-filter.validator.js';
import { phpStringNumber } from './php/php-float.formatter.js';
import type { WsError } from './ws-error.js';
import { describe } from './ws-json.encoder.js';
import {
  PwgNamedArray,
  PwgNamedStruct,
  WS_XML_ATTRIBUTES,
  isListLike,
  isStructLike,
  structEntries,
  type WsValue,
} from './ws-values.js';

/** Content type of Piwigo's `rest` (XML) answers. */
export const WS_XML_CONTENT_TYPE = 'text/xml; charset=utf-8';

/** PHP ≥ 8.1 `htmlspecialchars()` (ENT_QUOTES | ENT_SUBSTITUTE): `& < > " '`. */
export function phpHtmlSpecialChars(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}
const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#039;' };

/** PHP's `(string)$value` for what can appear in an attribute or text node. */
export function phpToString(value: WsValue, path: string): string {
  if (value === null || value === undefined || value === false) return '';
  if (value === true) return '1';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return phpStringNumber(value);
  if (Array.isArray(value) || isStructLike(value)) return 'Array';
  throw new TypeError(`Cannot encode ${describe(value)} at ${path} for ws.php`);
}

/** Port of Piwigo's `PwgXmlWriter` (rest_encoder.php): tab indentation, no newline before closing tags. */
class PwgXmlWriter {
  private readonly stack: string[] = [];
  private lastTagOpen = false;
  private indentLevel = 0;
  output = '';

  startElement(name: string): void {
    this.endPrev(false);
    if (this.stack.length > 0) this.output += '\n';
    this.indentLevel++;
    this.indent();
    const first = name.charCodeAt(0);
    const tag = first >= 0x30 && first <= 0x39 ? `_${name}` : name;
    this.output += `<${tag}`;
    this.lastTagOpen = true;
    this.stack.push(tag);
  }

  endElement(): void {
    const closeTag = this.endPrev(true);
    const tag = this.stack.pop();
    if (closeTag) {
      this.indentLevel--;
      this.indent();
      this.output += `</${tag}>`;
    }
  }

  writeContent(text: string): void {
    this.endPrev(false);
    this.output += phpHtmlSpecialChars(text);
  }

  writeAttribute(name: string, text: string): void {
    this.output += ` ${name}="${phpHtmlSpecialChars(text)}"`;
  }

  private endPrev(done: boolean): boolean {
    let closeTag = true;
    if (this.lastTagOpen) {
      if (done) {
        this.indentLevel--;
        this.output += ' />';
        closeTag = false;
      } else {
        this.output += '>';
      }
      this.lastTagOpen = false;
    }
    return closeTag;
  }

  private indent(): void {
    if (this.indentLevel > this.stack.length) this.output += '\t'.repeat(this.stack.length);
  }
}

/** Port of `PwgRestEncoder::encode` and its helpers. */
class PwgRestEncoder {
  readonly writer = new PwgXmlWriter();

  encode(data: WsValue, xmlAttributes: ReadonlySet<string> = NO_ATTRIBUTES, path = 'result'): void {
    if (data === null || data === undefined) return this.writer.writeContent('');
    switch (typeof data) {
      case 'boolean':
        return this.writer.writeContent(data ? '1' : '0');
      case 'number':
      case 'bigint':
      case 'string':
        return this.writer.writeContent(phpToString(data, path));
    }
    if (data instanceof PwgNamedArray) return this.encodeArray(data.content, data.itemName, data.xmlAttributes, path);
    if (data instanceof PwgNamedStruct) return this.encodeStruct(structEntries(data.content), data.xmlAttributes, path);
    if (Array.isArray(data)) return this.encodeArray(data as readonly WsValue[], 'item', NO_ATTRIBUTES, path);
    if (isStructLike(data)) {
      const entries = structEntries(data);
      if (entries.length > 0 && isListLike(entries)) {
        return this.encodeArray(entries.map(([, v]) => v), 'item', NO_ATTRIBUTES, path);
      }
      return this.encodeStruct(entries, xmlAttributes, path);
    }
    throw new TypeError(`Cannot encode ${describe(data)} at ${path} for ws.php`);
  }

  private encodeArray(items: readonly WsValue[], itemName: string, xmlAttributes: ReadonlySet<string>, path: string): void {
    items.forEach((item, i) => {
      this.writer.startElement(itemName);
      this.encode(item ?? null, xmlAttributes, `${path}[${i}]`);
      this.writer.endElement();
    });
  }

  private encodeStruct(entries: Array<[string, WsValue]>, xmlAttributes: ReadonlySet<string>, path: string): void {
    const elements: Array<[string, WsValue]> = [];
    for (const [name, value] of entries) {
      if (phpIsNumeric(name) || value === null || value === undefined) continue;
      if (name === WS_XML_ATTRIBUTES) {
        if (isStructLike(value)) {
          for (const [attr, attrValue] of structEntries(value)) {
            this.writer.writeAttribute(attr, phpToString(attrValue, `${path}.${attr}`));
          }
        }
      } else if (xmlAttributes.has(name)) {
        this.writer.writeAttribute(name, phpToString(value, `${path}.${name}`));
      } else {
        elements.push([name, value]);
      }
    }
    for (const [name, value] of elements) {
      this.writer.startElement(name);
      this.encode(value, NO_ATTRIBUTES, `${path}.${name}`);
      this.writer.endElement();
    }
  }
}

const NO_ATTRIBUTES: ReadonlySet<string> = new Set();

/** The XML (`rest`) body of a successful call, byte for byte as Piwigo writes it. */
export function encodeXmlResult(result: WsValue): string {
  const encoder = new PwgRestEncoder();
  encoder.encode(result);
  return `<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n${encoder.writer.output}\n</rsp>`;
}

/** The XML (`rest`) body of a failure: note the different XML declaration, as in Piwigo. */
export function encodeXmlError(error: WsError): string {
  return `<?xml version="1.0"?>\n<rsp stat="fail">\n\t<err code="${error.code}" msg="${phpHtmlSpecialChars(error.message)}" />\n</rsp>`;
}
