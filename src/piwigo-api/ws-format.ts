/** MySQL DATETIME text (`YYYY-MM-DD HH:MM:SS`, UTC) as Piwigo answers dates; null stays null. */
export function mysqlDatetime(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** A DB id as mysqli answers it (a string). */
export function idString(value: number | string | null | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}
