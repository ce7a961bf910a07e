import { Info, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Args } from '../../common/validation/validated-args';
import { GraphQLResolveInfo } from 'graphql';
import { CurrentEmployee, RequirePermission } from '../../access/auth.decorators';
import { StaffPrincipal } from '../../access/principal';
import { connectionComplexity, PageArgs } from '../../common/pagination/connection';
import { selectsTotalCount } from '../../common/pagination/keyset';
import { Permission } from '../../kernel/role';
import {
  CancelImportInput,
  CancelImportPayload,
  ImportJobConnection,
  ImportJobType,
  ImportRowErrorConnection,
  ImportRowErrorType,
} from './dto/import-job.type';
import { ImportJobsService, toImportJobType } from '../job/import-jobs.service';

@Resolver(() => ImportJobType)
export class ImportsResolver {
  constructor(private readonly jobs: ImportJobsService) {}

  @Query(() => ImportJobType, { description: 'An upload and its progress; uploads go to POST /imports' })
  async importJob(@CurrentEmployee() me: StaffPrincipal, @Args('id') id: string) {
    return toImportJobType(await this.jobs.get(me.organizationId, id));
  }

  @Query(() => ImportJobConnection, {
    complexity: connectionComplexity,
    description: 'The organization’s imports, newest first',
  })
  async importJobs(@CurrentEmployee() me: StaffPrincipal, @Args() page: PageArgs, @Info() info: GraphQLResolveInfo) {
    const connection = await this.jobs.list(me.organizationId, page, selectsTotalCount(info));
    return { ...connection, edges: connection.edges.map((e) => ({ ...e, node: toImportJobType(e.node) })) };
  }

  @Mutation(() => CancelImportPayload, {
    description: 'Stops the import between batches; what has committed stays and is reported',
  })
  @RequirePermission(Permission.IMPORT_REGISTRY)
  async cancelImport(@CurrentEmployee() me: StaffPrincipal, @Args('input') input: CancelImportInput) {
    return { job: toImportJobType(await this.jobs.cancel(me.organizationId, input.id)) };
  }

  @ResolveField(() => ImportRowErrorConnection, {
    complexity: connectionComplexity,
    description: 'Row problems in row order; the same as GET /imports/:id/errors.xlsx',
  })
  async errors(
    @CurrentEmployee() me: StaffPrincipal,
    @Parent() job: ImportJobType,
    @Args() page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ) {
    const connection = await this.jobs.errors(me.organizationId, job.id, page, selectsTotalCount(info));
    return {
      ...connection,
      edges: connection.edges.map((e): { cursor: string; node: ImportRowErrorType } => ({
        cursor: e.cursor,
        node: {
          id: e.node.id,
          row: e.node.row,
          column: e.node.column,
          code: e.node.code,
          message: e.node.messageRu,
          messageEn: e.node.messageEn,
          rowSkipped: e.node.rowSkipped,
        },
      })),
    };
  }
}
