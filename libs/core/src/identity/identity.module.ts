import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKey, ApiKeySite } from './api-key.entity';
import { AuthService } from './auth.service';
import { LoginLimiter } from './login-limiter';
import { User, UserSite } from './user.entity';

@Module({
  imports: [JwtModule.register({}), TypeOrmModule.forFeature([User, UserSite, ApiKey, ApiKeySite])],
  providers: [AuthService, LoginLimiter],
  exports: [AuthService],
})
export class IdentityModule {}
