import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Permission } from '../kernel/role';
import type { GraphqlContext } from '../graphql/graphql-context';

export const PUBLIC_KEY = 'domovoy:public';
export const PERMISSION_KEY = 'domovoy:permission';
export const RESIDENT_KEY = 'domovoy:resident';

/** Reachable without a token (login). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only for a resident signed in through the app (`signIn`); staff tokens are refused. */
export const ResidentOnly = () => SetMetadata(RESIDENT_KEY, true);

/** Needs this permission of the role matrix in `organizations/role.ts`. */
export const RequirePermission = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);

/** The signed-in employee; the guard has already rejected requests without one. */
export const CurrentEmployee = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return GqlExecutionContext.create(context).getContext<GraphqlContext>().principal;
});

/** The signed-in resident; the guard has already rejected requests without one. */
export const CurrentResident = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return GqlExecutionContext.create(context).getContext<GraphqlContext>().resident;
});
