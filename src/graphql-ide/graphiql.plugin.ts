import type { ApolloServerPlugin } from '@apollo/server';
import { graphiqlPage } from './graphiql-page';

/** Apollo's landing-page hook: GET /graphql from a browser gets GraphiQL instead of a CSRF error. */
export function graphiqlLandingPagePlugin(): ApolloServerPlugin {
  const html = graphiqlPage();
  return { serverWillStart: () => Promise.resolve({ renderLandingPage: () => Promise.resolve({ html }) }) };
}
