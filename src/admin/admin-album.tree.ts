import type { EntityManager } from 'typeorm';

/** An album as the admin tree shows it. */
export interface AdminAlbumNode {
  id: number;
  parentId: number | null;
  name: string;
  status: 'public' | 'private';
  visible: boolean;
  photoCount: number;
  totalPhotoCount: number;
  depth: number;
  first: boolean;
  last: boolean;
  children: AdminAlbumNode[];
}

/** Tree sizes beyond this are shown as a flat, paged list instead (not needed so far). */
export const MAX_TREE_ALBUMS = 20_000;

/** Every album, as a forest ordered by sibling position. */
export async function loadAlbumTree(em: EntityManager): Promise<AdminAlbumNode[]> {
  const rows: { id: number; parent_id: number | null; name: string; status: 'public' | 'private'; visible: boolean; photo_count: number; total_photo_count: number; depth: number }[] =
    await em.query(
      `SELECT id, parent_id, name, status, visible, photo_count, total_photo_count, depth FROM albums ORDER BY depth, parent_id NULLS FIRST, position, id LIMIT ${MAX_TREE_ALBUMS}`,
    );
  const byId = new Map<number, AdminAlbumNode>();
  const roots: AdminAlbumNode[] = [];
  for (const r of rows) {
    const node: AdminAlbumNode = {
      id: r.id,
      parentId: r.parent_id,
      name: r.name,
      status: r.status,
      visible: r.visible,
      photoCount: Number(r.photo_count),
      totalPhotoCount: Number(r.total_photo_count),
      depth: r.depth,
      first: false,
      last: false,
      children: [],
    };
    byId.set(r.id, node);
    const parent = r.parent_id === null ? null : byId.get(r.parent_id);
    (parent ? parent.children : roots).push(node);
  }
  const mark = (list: AdminAlbumNode[]) => {
    list.forEach((n, i) => {
      n.first = i === 0;
      n.last = i === list.length - 1;
      mark(n.children);
    });
  };
  mark(roots);
  return roots;
}

/** `{ id, label }` options for a parent select: depth-first, labels indented with em spaces, `exclude`'s subtree left out. */
export function albumOptions(tree: AdminAlbumNode[], exclude: number | null = null): { id: number; label: string }[] {
  const out: { id: number; label: string }[] = [];
  const walk = (list: AdminAlbumNode[], level: number) => {
    for (const n of list) {
      if (n.id === exclude) continue;
      out.push({ id: n.id, label: `${'\u2003'.repeat(level)}${n.name}` });
      walk(n.children, level + 1);
    }
  };
  walk(tree, 0);
  return out;
}

/** The node with this id, or null. */
export function findNode(tree: AdminAlbumNode[], id: number): AdminAlbumNode | null {
  for (const n of tree) {
    if (n.id === id) return n;
    const found = findNode(n.children, id);
    if (found) return found;
  }
  return null;
}
