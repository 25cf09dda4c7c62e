import { UsersAndGroups1763900000001 } from './1763900000001-UsersAndGroups.js';
import { AlbumsAndPhotos1763900000002 } from './1763900000002-AlbumsAndPhotos.js';
import { AccessControl1763900000003 } from './1763900000003-AccessControl.js';
import { AuditAndPlugins1763900000004 } from './1763900000004-AuditAndPlugins.js';
import { AccessEpoch1763900000005 } from './1763900000005-AccessEpoch.js';
import { Jobs1763900000006 } from './1763900000006-Jobs.js';
import { PluginMigrations1763900000007 } from './1763900000007-PluginMigrations.js';
import { PhotoLounge1763900000008 } from './1763900000008-PhotoLounge.js';
import { WsContentVersion1763900000009 } from './1763900000009-WsContentVersion.js';
import { PhotoMissing1763900000010 } from './1763900000010-PhotoMissing.js';

/** Core migrations, oldest first. Add new ones at the end; never edit one that has shipped. */
export const CORE_MIGRATIONS = [
  UsersAndGroups1763900000001,
  AlbumsAndPhotos1763900000002,
  AccessControl1763900000003,
  AuditAndPlugins1763900000004,
  AccessEpoch1763900000005,
  Jobs1763900000006,
  PluginMigrations1763900000007,
  PhotoLounge1763900000008,
  WsContentVersion1763900000009,
  PhotoMissing1763900000010,
];
