import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { ApiKeysService } from './api-keys.service';
import { AuthService } from './auth.service';
import { LoginLimiter } from './login-limiter';
import { UsersService } from './users.service';

/** Identity uses plain SQL: its queries are few, hot (every request resolves a principal) and easier to read as SQL. */
@Module({
  imports: [JwtModule.register({})],
  providers: [AuthService, LoginLimiter, UsersService, ApiKeysService],
  exports: [AuthService, UsersService, ApiKeysService],
})
export class IdentityModule {}
