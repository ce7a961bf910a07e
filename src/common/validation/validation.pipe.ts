import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { BadInputException } from '../errors/domain.exception';
import { FieldError } from '../errors/error-code';
import { unpackMessage } from './messages';

const PRIMITIVES = new Set<unknown>([String, Boolean, Number, Array, Object]);

/** class-validator's nested errors as `{path, message, messageEn}` field errors under `prefix`. */
export function flatten(errors: ValidationError[], prefix: string): FieldError[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) => {
      const { ru, en } = unpackMessage(text);
      return { path, message: ru, messageEn: en };
    });
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Validates GraphQL arguments with class-validator and hands the resolver the transformed
 * instance; every failing field is listed in `extensions.fields` with the argument's path.
 * Resolvers get it through `Args` of ./validated-args.
 */
@Injectable()
export class InputValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // GraphQL @Args() arrive as 'body', other parameters as 'custom': should the pipe be bound to one of
    // those, a field resolver's parent is an entity a resolver returned, not input, and copying and
    // validating it for every node cost more than the search itself (bench/clients.ts). Nest's own
    // ValidationPipe skips 'custom' the same way.
    if (metadata.type === 'custom') return value;
    const type = metadata.metatype;
    if (!type || PRIMITIVES.has(type) || value === null || value === undefined || typeof value !== 'object')
      return value;
    const instance = plainToInstance(type, value) as object;
    const errors = await validate(instance, { forbidUnknownValues: false });
    if (errors.length > 0) throw new BadInputException(flatten(errors, metadata.data ?? ''));
    return instance;
  }
}
