import { ArgumentsHost, Catch } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';
import { DomainException } from './domain.exception';

/**
 * Domain errors are answers, not failures: hand them to the GraphQL error formatter untouched
 * instead of letting Nest log them as unhandled exceptions.
 */
@Catch(DomainException)
export class DomainExceptionFilter implements GqlExceptionFilter {
  catch(exception: DomainException, _host: ArgumentsHost): DomainException {
    return exception;
  }
}
