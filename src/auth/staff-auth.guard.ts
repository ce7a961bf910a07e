import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ForbiddenException, UnauthenticatedException } from '../common/errors/domain.exception';
import { Permission, roleAllows } from '../kernel/role';
import type { GraphqlContext } from '../graphql/graphql-context';
import { PERMISSION_KEY, PUBLIC_KEY, RESIDENT_KEY } from '../access/auth.decorators';

/**
 * Global guard for GraphQL: a valid staff session unless @Public or @ResidentOnly (then a resident
 * session), and the role's permission when asked. Each realm's token opens only its own operations.
 */
@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'graphql') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const { principal, resident, authError } = GqlExecutionContext.create(context).getContext<GraphqlContext>();
    if (this.reflector.getAllAndOverride<boolean>(RESIDENT_KEY, targets)) {
      if (resident) return true;
      if (principal)
        throw new ForbiddenException({
          ru: 'Эта операция доступна только жителю в мобильном приложении',
          en: 'This operation is for residents signed in through the app',
        });
      throw authError ?? new UnauthenticatedException();
    }
    if (resident)
      throw new ForbiddenException({
        ru: 'Этот токен не даёт доступа к операциям сотрудников',
        en: 'This token does not open staff operations',
      });
    if (!principal) throw authError ?? new UnauthenticatedException();
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (permission && !roleAllows(principal.role, permission)) {
      throw new ForbiddenException({
        ru: `Роль ${principal.role} не позволяет это действие (${permission})`,
        en: `Role ${principal.role} lacks permission ${permission}`,
      });
    }
    return true;
  }
}
