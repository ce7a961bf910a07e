import { EXAMPLE_OPERATIONS } from './example-operations';

/**
 * The browser side of the IDE (served as ide.js): GraphiQL with the example tabs, HTTP for queries and
 * mutations, graphql-ws for subscriptions. Browsers cannot set headers on a WebSocket, so the
 * Authorization header of the headers editor goes into connection_init's payload, one socket per token.
 */
export function ideScript(): string {
  return `(function () {
  'use strict';
  var url = location.origin + '/graphql';
  var wsUrl = url.replace(/^http/, 'ws');
  var fetchers = {};
  function authorizationOf(headers) {
    for (var key in headers) if (key.toLowerCase() === 'authorization') return String(headers[key]);
    return '';
  }
  function fetcherFor(authorization) {
    if (!fetchers[authorization]) {
      fetchers[authorization] = GraphiQL.createFetcher({
        url: url,
        wsClient: graphqlWs.createClient({ url: wsUrl, lazy: true, connectionParams: authorization ? { authorization: authorization } : {} }),
      });
    }
    return fetchers[authorization];
  }
  function fetcher(params, options) {
    return fetcherFor(authorizationOf((options && options.headers) || {}))(params, options);
  }
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: ${JSON.stringify(EXAMPLE_OPERATIONS)},
      defaultHeaders: '{}',
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: 'headers',
    }),
  );
})();
`;
}
