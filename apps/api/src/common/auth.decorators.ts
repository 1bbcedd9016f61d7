import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Principal, Role } from '@guichet/core/identity/principal';
import type { Scope } from '@guichet/core/identity/scopes';
import { ApiProblems } from './api-problems.decorator';

export const AUTH_RULE = 'guichet:auth-rule';
export const PUBLIC_ROUTE = 'guichet:public';

export interface AuthRule {
  /** Lowest user role allowed (roles are ranked agent < supervisor < admin). Default: any user. */
  minRole?: Role;
  /** API key scopes that open the route (any one). Default: none, keys are refused. */
  scopes?: Scope[];
  /** When false, users are refused (device-only routes). Default: true. */
  users?: boolean;
}

/**
 * Declares who may call a route and documents it in OpenAPI (security schemes, 401/403).
 * Routes without @Auth or @Public are refused by the guard, so a forgotten rule fails closed.
 */
export function Auth(rule: AuthRule = {}): MethodDecorator & ClassDecorator {
  const docs: (MethodDecorator & ClassDecorator)[] = [SetMetadata(AUTH_RULE, rule), ApiProblems(401, 403)];
  if (rule.users !== false) docs.push(ApiBearerAuth('bearer'));
  if (rule.scopes?.length) docs.push(ApiSecurity('api-key', rule.scopes));
  return applyDecorators(...docs);
}

export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

export type AuthedRequest = FastifyRequest & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without @Auth');
  return principal;
});
