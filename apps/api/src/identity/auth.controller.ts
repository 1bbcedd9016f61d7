import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '@guichet/core/errors/domain-error';
import { AuthService } from '@guichet/core/identity/auth.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal, Public } from '../common/auth.decorators';
import { LoginDto, LogoutDto, RefreshDto, TokenPairDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401, 429)
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<TokenPairDto> {
    return this.auth.login(dto.email, dto.password, { ip: req.ip, userAgent: req.headers['user-agent'] });
  }

  /** Exchanges a refresh token for a new pair; the old one stops working. Replaying it closes the session. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiProblems(400, 401)
  refresh(@Body() dto: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Auth()
  @Post('logout')
  @HttpCode(204)
  @ApiProblems(400)
  async logout(@CurrentPrincipal() principal: Principal, @Body() dto: LogoutDto): Promise<void> {
    if (principal.kind !== 'user') throw new ForbiddenError('API keys have no session to close');
    await this.auth.logout(principal, dto.refreshToken);
  }
}
