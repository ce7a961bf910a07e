import { canSeeTicket, canUseCategory, visibleTicketsSql } from './ticket-visibility';

const ORG = 'org-a';
const PLUMBING = 'cat-plumbing';
const LEAK = 'cat-leak';
const LIFT = 'cat-lift';

describe('ticket visibility', () => {
  const everything = { organizationId: ORG, categoryIds: null };
  const plumber = { organizationId: ORG, categoryIds: [PLUMBING, LEAK] };

  it.each([
    [
      'no specializations: every ticket of the organization',
      everything,
      { organizationId: ORG, categoryId: LIFT },
      true,
    ],
    [
      'no specializations: a ticket without a category too',
      everything,
      { organizationId: ORG, categoryId: null },
      true,
    ],
    [
      'no specializations: never another organization’s',
      everything,
      { organizationId: 'org-b', categoryId: LIFT },
      false,
    ],
    ['a specialization and what lies below it', plumber, { organizationId: ORG, categoryId: LEAK }, true],
    ['not another category', plumber, { organizationId: ORG, categoryId: LIFT }, false],
    ['not a ticket without a category', plumber, { organizationId: ORG, categoryId: null }, false],
    ['not another organization’s, even in the category', plumber, { organizationId: 'org-b', categoryId: LEAK }, false],
  ])('%s', (_, scope, ticket, visible) => {
    expect(canSeeTicket(scope, ticket)).toBe(visible);
  });

  it('lets an employee use only the categories they see', () => {
    expect(canUseCategory(plumber, LEAK)).toBe(true);
    expect(canUseCategory(plumber, LIFT)).toBe(false);
    expect(canUseCategory(plumber, null)).toBe(false);
    expect(canUseCategory(everything, null)).toBe(true);
  });

  it('writes the same rule as SQL: nothing for the whole organization, the categories as one parameter otherwise', () => {
    const [all, some] = [visibleTicketsSql(everything, 't'), visibleTicketsSql(plumber, 't')];
    expect([all.text, all.values]).toEqual(['', []]);
    expect([some.text, some.values]).toEqual(['AND t.category_id = ANY($1::uuid[])', [[PLUMBING, LEAK]]]);
  });
});
