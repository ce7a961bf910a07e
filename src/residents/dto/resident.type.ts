import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class SignInCodePayload {
  @Field({ description: 'E.164 phone the code was sent to' })
  phone: string;

  @Field()
  expiresAt: Date;
}

@ObjectType()
export class ResidentSignInPayload {
  @Field({ description: 'Bearer token of the resident realm: opens only resident operations' })
  accessToken: string;

  @Field()
  expiresAt: Date;

  @Field()
  phone: string;
}
