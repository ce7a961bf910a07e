import { GraphQLID, GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { costVariables } from './operation-cost';

const Item = new GraphQLObjectType({
  name: 'Item',
  fields: { id: { type: GraphQLID }, name: { type: GraphQLString } },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      card: { type: Item, args: { id: { type: GraphQLID } } },
      items: {
        type: new GraphQLList(Item),
        args: { first: { type: GraphQLInt }, search: { type: GraphQLString } },
        extensions: {
          complexity: ({ args, childComplexity }: { args: { first?: number }; childComplexity: number }) =>
            (args.first ?? 10) * childComplexity,
        },
      },
    },
  }),
});

describe('costVariables', () => {
  it('keeps the variables of self-priced fields and of directives, not the others', () => {
    const document = parse(`query($id: ID, $n: Int, $q: String, $withName: Boolean!) {
      card(id: $id) { id name @include(if: $withName) }
      items(first: $n, search: $q) { id }
    }`);
    expect(costVariables(schema, document)).toEqual(['n', 'q', 'withName']);
  });

  it('finds them in fragments too, and nothing when the cost takes no variable', () => {
    expect(
      costVariables(schema, parse(`query($n: Int) { ...F } fragment F on Query { items(first: $n) { id } }`)),
    ).toEqual(['n']);
    expect(costVariables(schema, parse(`query($id: ID) { card(id: $id) { id } items(first: 5) { id } }`))).toEqual([]);
  });
});
