import { Field, InputType } from '@nestjs/graphql';
import { IsString, Length, Matches } from 'class-validator';
import { msg } from '../../common/validation/messages';
import { IsPhone } from '../../common/validation/phone';

@InputType()
export class RequestSignInCodeInput {
  @Field({ description: 'The resident’s phone in any common writing; the code goes to it by SMS' })
  @IsPhone()
  phone: string;
}

@InputType()
export class SignInInput {
  @Field()
  @IsPhone()
  phone: string;

  @Field({ description: 'The six digits from the SMS' })
  @IsString()
  @Length(6, 6, { message: msg('код — шесть цифр из SMS', 'the code is the six digits from the SMS') })
  @Matches(/^\d{6}$/, { message: msg('код — шесть цифр из SMS', 'the code is the six digits from the SMS') })
  code: string;
}
