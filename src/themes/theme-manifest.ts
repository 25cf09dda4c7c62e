import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isValidRange, satisfies } from './semver-range.js';
import type { ThemeSettingValue } from './theme-view.types.js';

/**
 * The Vitrine version themes are checked against (`engines.vitrine`). Kept equal to the root
 * package.json version by a test.
 */
export const VITRINE_VERSION = '0.1.0';

/** Photos per page when a theme does not say. */
export const DEFAULT_PER_PAGE = 30;

const KEY = /^[a-z][a-z0-9_]*$/;
const SIZE_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

const base = { label: z.string().min(1).max(80).optional(), description: z.string().max(500).optional() };
const selectOption = z.union([
  z.string().min(1).max(80),
  z.object({ value: z.string().min(1).max(80), label: z.string().min(1).max(80) }),
]);

/** One `config.custom` setting, by type. */
export const themeSettingSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('text'), default: z.string().max(500) }).strict(),
  z.object({ ...base, type: z.literal('textarea'), default: z.string().max(5000) }).strict(),
  z.object({ ...base, type: z.literal('boolean'), default: z.boolean() }).strict(),
  z.object({ ...base, type: z.literal('color'), default: z.string().regex(HEX_COLOR, 'must be a #rrggbb colour') }).strict(),
  z
    .object({
      ...base,
      type: z.literal('number'),
      default: z.number(),
      min: z.number().optional(),
      max: z.number().optional(),
      step: z.number().positive().optional(),
    })
    .strict()
    .refine((s) => (s.min === undefined || s.default >= s.min) && (s.max === undefined || s.default <= s.max), {
      message: 'default must lie between min and max',
      path: ['default'],
    }),
  z
    .object({ ...base, type: z.literal('select'), options: z.array(selectOption).min(1).max(50), default: z.string() })
    .strict()
    .refine((s) => s.options.some((o) => (typeof o === 'string' ? o : o.value) === s.default), {
      message: 'default must be one of the options',
      path: ['default'],
    }),
]);

/** A size a theme needs; joins the media size registry. Images are never enlarged. */
export const themeImageSizeSchema = z
  .object({
    width: z.number().int().min(16).max(8192),
    height: z.number().int().min(16).max(8192),
    /** Crop to exactly width × height (true) or fit inside the box (false, the default). */
    crop: z.boolean().optional(),
  })
  .strict();

/** `themes/<name>/package.json`. Unknown top-level npm fields are allowed and ignored. */
export const themeManifestSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a lower-case npm-style name').max(100),
  version: z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'must be a semantic version like 1.0.0'),
  description: z.string().max(500).optional(),
  author: z.union([z.string(), z.object({ name: z.string() }).loose()]).optional(),
  engines: z.object({ vitrine: z.string().refine(isValidRange, 'must be a semver range like ^0.1.0') }).loose(),
  config: z
    .object({
      per_page: z.number().int().min(1).max(500).default(DEFAULT_PER_PAGE),
      image_sizes: z
        .record(z.string().regex(SIZE_NAME, 'size names use a-z, 0-9, - and _'), themeImageSizeSchema)
        .default({}),
      custom: z.record(z.string().regex(KEY, 'setting keys are snake_case'), themeSettingSchema).default({}),
    })
    .strict()
    .default({ per_page: DEFAULT_PER_PAGE, image_sizes: {}, custom: {} }),
});

export type ThemeSetting = z.infer<typeof themeSettingSchema>;
export type ThemeImageSize = z.infer<typeof themeImageSizeSchema>;
/** A validated theme manifest, defaults applied. */
export type ThemeManifest = z.infer<typeof themeManifestSchema>;

/** One problem found in a manifest; `path` is dotted (`config.custom.accent.default`). */
export interface ManifestProblem {
  path: string;
  message: string;
}

/** Result of {@link parseThemeManifest}. */
export type ManifestResult = { ok: true; manifest: ThemeManifest } | { ok: false; problems: ManifestProblem[] };

/** Validates an already-parsed package.json object. */
export function parseThemeManifest(json: unknown): ManifestResult {
  const result = themeManifestSchema.safeParse(json);
  if (result.success) return { ok: true, manifest: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
  };
}

/** Thrown by {@link readThemeManifest}; `problems` lists what is wrong. */
export class ThemeManifestError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ManifestProblem[],
  ) {
    super(`Invalid theme manifest ${file}:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'ThemeManifestError';
  }
}

/**
 * Reads and validates `<dir>/package.json`, and checks `engines.vitrine` against
 * `vitrineVersion`. Throws {@link ThemeManifestError} on any problem.
 */
export async function readThemeManifest(dir: string, vitrineVersion = VITRINE_VERSION): Promise<ThemeManifest> {
  const file = join(dir, 'package.json');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const message = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file is missing' : `not valid JSON (${(error as Error).message})`;
    throw new ThemeManifestError(file, [{ path: '(file)', message }]);
  }
  const result = parseThemeManifest(json);
  if (!result.ok) throw new ThemeManifestError(file, result.problems);
  if (!satisfies(vitrineVersion, result.manifest.engines.vitrine)) {
    throw new ThemeManifestError(file, [
      { path: 'engines.vitrine', message: `"${result.manifest.engines.vitrine}" does not include Vitrine ${vitrineVersion}` },
    ]);
  }
  return result.manifest;
}

function optionValues(setting: Extract<ThemeSetting, { type: 'select' }>): string[] {
  return setting.options.map((o) => (typeof o === 'string' ? o : o.value));
}

/** Whether `value` is acceptable for `setting` (type, options, range, colour format). */
export function isValidSettingValue(setting: ThemeSetting, value: unknown): value is ThemeSettingValue {
  switch (setting.type) {
    case 'text':
    case 'textarea':
      return typeof value === 'string' && value.length <= (setting.type === 'text' ? 500 : 5000);
    case 'boolean':
      return typeof value === 'boolean';
    case 'color':
      return typeof value === 'string' && HEX_COLOR.test(value);
    case 'number':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (setting.min === undefined || value >= setting.min) &&
        (setting.max === undefined || value <= setting.max)
      );
    case 'select':
      return typeof value === 'string' && optionValues(setting).includes(value);
  }
}

/**
 * The effective settings of a theme: each declared setting's stored value when valid, else its
 * default. Unknown stored keys are dropped; `onInvalid` hears about rejected values.
 */
export function resolveThemeSettings(
  manifest: ThemeManifest,
  stored: Record<string, unknown> | null | undefined,
  onInvalid?: (key: string, value: unknown) => void,
): Record<string, ThemeSettingValue> {
  const out: Record<string, ThemeSettingValue> = {};
  for (const [key, setting] of Object.entries(manifest.config.custom)) {
    const value = stored && Object.hasOwn(stored, key) ? stored[key] : undefined;
    if (value !== undefined && isValidSettingValue(setting, value)) out[key] = value;
    else {
      if (value !== undefined) onInvalid?.(key, value);
      out[key] = setting.default;
    }
  }
  return out;
}
