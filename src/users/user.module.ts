import { Module } from '@nestjs/common';
import { GroupService } from '../groups/group.service.js';
import { FirstRunService } from '../setup/first-run.service.js';
import { UserService } from './user.service.js';

@Module({ providers: [UserService, GroupService, FirstRunService], exports: [UserService, GroupService, FirstRunService] })
export class UserModule {}
