import { Module } from '@nestjs/common';
import { AlbumService } from './album.service.js';

@Module({ providers: [AlbumService], exports: [AlbumService] })
export class AlbumModule {}
