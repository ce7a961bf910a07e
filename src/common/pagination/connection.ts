import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { Max, Min } from 'class-validator';
import { msg } from '../validation/messages';

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => Boolean)
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount?: number;
}

export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: `Page size, 1–${MAX_PAGE_SIZE}` })
  @Min(1, { message: msg('не меньше 1', 'must be at least 1') })
  @Max(MAX_PAGE_SIZE, { message: msg(`не больше ${MAX_PAGE_SIZE}`, `must be at most ${MAX_PAGE_SIZE}`) })
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page' })
  after?: string;
}

/** Builds the `XConnection` / `XEdge` object types for a node type. */
export function Connection<T>(nodeType: Type<T>, name = nodeType.name): Type<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field()
    cursor: string;

    @Field(() => nodeType)
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges: EdgeType[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'Number of nodes matching the filter across all pages' })
    totalCount: number;
  }
  return ConnectionType as Type<ConnectionShape<T>>;
}

/** Complexity of a connection field: its children cost once per requested node. */
export function connectionComplexity(options: { args: { first?: number }; childComplexity: number }): number {
  // An oversized `first` is reported by validation as BAD_USER_INPUT on `first`, not as a complexity error.
  return 1 + Math.min(options.args.first ?? 20, MAX_PAGE_SIZE) * options.childComplexity;
}
