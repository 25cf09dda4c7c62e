import { Album, AlbumPhoto } from '../albums/album.entity.js';
import { Group, GroupMember } from '../groups/group.entity.js';
import { Photo } from '../photos/photo.entity.js';
import { PhotoTag, Tag } from '../tags/tag.entity.js';
import { User } from '../users/user.entity.js';

/** Every core entity; plugins register their own through the plugin loader. */
export const CORE_ENTITIES = [User, Group, GroupMember, Album, AlbumPhoto, Photo, Tag, PhotoTag];
