import type { EntityManager } from 'typeorm';

/**
 * Marks that what principals may see has changed. Call inside the transaction of the change:
 * the new epoch becomes visible to readers exactly when the change does.
 */
export async function bumpAccessEpoch(em: EntityManager): Promise<void> {
  await em.query(`UPDATE access_epoch SET epoch = epoch + 1`);
}

export async function readAccessEpoch(em: EntityManager): Promise<number> {
  const rows: { epoch: number }[] = await em.query(`SELECT epoch FROM access_epoch`);
  return Number(rows[0]?.epoch ?? 0);
}
