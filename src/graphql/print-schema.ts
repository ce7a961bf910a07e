import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { SCHEMA_BUILD_OPTIONS, SCHEMA_RESOLVERS } from './resolvers';

const HEADER = '# Generated from the code-first resolvers by `npm run schema:print`. Do not edit by hand.\n\n';

export function schemaSdl(schema: GraphQLSchema): string {
  return HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}

export async function printSchemaSdl(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  try {
    const schema = await app.get(GraphQLSchemaFactory).create(SCHEMA_RESOLVERS, SCHEMA_BUILD_OPTIONS);
    return schemaSdl(schema);
  } finally {
    await app.close();
  }
}
