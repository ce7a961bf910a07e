import { IsInt, Min } from 'class-validator';
import { BadInputException } from '../errors/domain.exception';
import { InputValidationPipe } from './validation.pipe';

class PageInput {
  @IsInt()
  @Min(1)
  first!: number;
}

describe('InputValidationPipe', () => {
  const pipe = new InputValidationPipe();

  it('validates and transforms GraphQL arguments (which Nest hands pipes as "body")', async () => {
    const good = await pipe.transform({ first: 5 }, { type: 'body', metatype: PageInput, data: 'page' });
    expect(good).toBeInstanceOf(PageInput);
    await expect(
      pipe.transform({ first: 0 }, { type: 'body', metatype: PageInput, data: 'page' }),
    ).rejects.toBeInstanceOf(BadInputException);
  });

  it('names the argument in the failing field path', async () => {
    const error = await pipe
      .transform({ first: 0 }, { type: 'body', metatype: PageInput, data: 'page' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputException);
    expect((error as BadInputException).fields?.map((f) => f.path)).toEqual(['page.first']);
  });

  it('hands a field resolver its parent as it is, neither copied nor validated', async () => {
    const parent = { first: 0 };
    await expect(pipe.transform(parent, { type: 'custom', metatype: PageInput })).resolves.toBe(parent);
  });
});
