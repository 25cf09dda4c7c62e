/**
 * Formatting rules for the display strings of {@link PhotoMetadataView} and `alt` texts, so every
 * site controller fills them the same way. Pure functions; null in, null out.
 */

/** `1/250 s`, `1/3 s`, `2 s`, `0.4 s` style exposure times. */
export function formatExposure(seconds: number | null | undefined): string | null {
  if (seconds == null || !Number.isFinite(seconds) || seconds <= 0) return null;
  if (seconds >= 1) return `${Number(seconds.toFixed(1))} s`;
  const denominator = Math.round(1 / seconds);
  // 0.4 s is clearer than 1/3 s when the fraction is far off.
  if (Math.abs(1 / denominator - seconds) / seconds > 0.1) return `${Number(seconds.toFixed(2))} s`;
  return `1/${denominator} s`;
}

/** `f/2.8`. */
export function formatAperture(fNumber: number | null | undefined): string | null {
  if (fNumber == null || !Number.isFinite(fNumber) || fNumber <= 0) return null;
  return `f/${Number(fNumber.toFixed(1))}`;
}

/** `35 mm`. */
export function formatFocalLength(mm: number | null | undefined): string | null {
  if (mm == null || !Number.isFinite(mm) || mm <= 0) return null;
  return `${Number(mm.toFixed(1))} mm`;
}

/** Make and model without repetition: ("Canon", "Canon EOS R5") → "Canon EOS R5". */
export function formatCamera(make: string | null | undefined, model: string | null | undefined): string | null {
  const mk = make?.trim() ?? '';
  const md = model?.trim() ?? '';
  if (!mk && !md) return null;
  if (!mk) return md;
  if (!md) return mk;
  const firstWord = mk.split(/\s+/)[0]!.toLowerCase();
  return md.toLowerCase().startsWith(firstWord) ? md : `${mk} ${md}`;
}

/**
 * The `alt` text of a photo: its title, else its description (first 120 characters), else
 * "Photo <n>" (`label` lets the controller translate it). Never the file name.
 */
export function photoAlt(photo: { id: number; title: string | null; description?: string | null }, label = 'Photo'): string {
  const title = photo.title?.replace(/\s+/g, ' ').trim();
  if (title) return title;
  const description = photo.description?.replace(/\s+/g, ' ').trim();
  if (description) return description.length > 120 ? `${description.slice(0, 119)}…` : description;
  return `${label} ${photo.id}`;
}
