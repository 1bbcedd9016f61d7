import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '@guichet/core/errors/domain-error';
import { RequestContext } from '@guichet/core/context/request-context';
import { AuthService } from '@guichet/core/identity/auth.service';
import { AuthError, AuthErrorCode } from '@guichet/core/identity/identity.errors';
import { Principal, roleAtLeast } from '@guichet/core/identity/principal';
import { AUTH_RULE, AuthedRequest, AuthRule, PUBLIC_ROUTE } from './auth.decorators';

/**
 * Global guard: authenticates by `Authorization: Bearer` (users) or `X-Api-Key` (integrators,
 * kiosks, displays), then applies the route's rule. Object-level checks (sites) are in services.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly context: RequestContext,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const rule = this.reflector.getAllAndOverride<AuthRule | undefined>(AUTH_RULE, targets);
    const request = ctx.switchToHttp().getRequest<AuthedRequest>();
    const principal = await this.authenticate(request);
    request.principal = principal;
    this.context.setPrincipal(principal);
    if (!rule) throw new ForbiddenError('This route has no access rule');
    this.authorise(principal, rule);
    return true;
  }

  private async authenticate(request: AuthedRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const apiKey = request.headers['x-api-key'];
    if (typeof header === 'string' && header.length > 0) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new AuthError(AuthErrorCode.TokenInvalid, 'Authorization header must be "Bearer <token>"');
      return this.auth.principalFromAccessToken(match[1]);
    }
    if (typeof apiKey === 'string' && apiKey.length > 0) return this.auth.principalFromApiKey(apiKey.trim());
    throw new AuthError(AuthErrorCode.Unauthenticated, 'Authentication required (Bearer token or X-Api-Key)');
  }

  private authorise(principal: Principal, rule: AuthRule): void {
    if (principal.kind === 'user') {
      if (rule.users === false) throw new ForbiddenError('This route is for devices and integrations only');
      if (rule.minRole && !roleAtLeast(principal.role, rule.minRole)) {
        throw new ForbiddenError(`Requires the ${rule.minRole} role or higher`);
      }
      return;
    }
    const scopes = rule.scopes ?? [];
    if (!scopes.some((scope) => principal.scopes.includes(scope))) {
      throw new ForbiddenError(
        scopes.length ? `API key lacks a required scope (${scopes.join(' or ')})` : 'This route is not open to API keys',
      );
    }
  }
}
