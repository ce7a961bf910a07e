import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ForbiddenException, UnauthenticatedException } from '../common/errors/domain.exception';
import { Permission, roleAllows } from '../kernel/role';
import { PERMISSION_KEY } from '../access/auth.decorators';
import { AuthService } from './auth.service';
import { StaffPrincipal } from '../access/principal';

export type StaffRequest = Request & { principal: StaffPrincipal };

/** The REST endpoints' guard: the same staff bearer token and role permissions as GraphQL. */
@Injectable()
export class StaffRestGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<StaffRequest>();
    const principal = await this.auth.authenticate(request.headers.authorization);
    if (!principal) throw new UnauthenticatedException();
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (permission && !roleAllows(principal.role, permission)) {
      throw new ForbiddenException({
        ru: `Роль ${principal.role} не позволяет это действие (${permission})`,
        en: `Role ${principal.role} lacks permission ${permission}`,
      });
    }
    request.principal = principal;
    return true;
  }
}
