/** Where the IDE's files are served (not under /graphql, which Apollo's middleware owns). */
export const IDE_ASSETS_PATH = '/graphiql';

/**
 * The page Apollo serves for GET /graphql to a browser (Accept: text/html), before its CSRF check,
 * which only concerns operations. Everything it loads comes from this server (no CDN): React 18's and
 * GraphiQL 3's UMD builds, graphql-ws's browser client, and ide.js, which wires them.
 */
export function graphiqlPage(): string {
  const asset = (file: string) => `${IDE_ASSETS_PATH}/${file}`;
  return `<!DOCTYPE html>
<html lang="ru">
  <head>
    <meta charset="utf-8" />
    <title>Домовой — GraphiQL</title>
    <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
    <link rel="stylesheet" href="${asset('graphiql.min.css')}" />
  </head>
  <body>
    <div id="graphiql">Загрузка…</div>
    <script src="${asset('react.production.min.js')}"></script>
    <script src="${asset('react-dom.production.min.js')}"></script>
    <script src="${asset('graphql-ws.min.js')}"></script>
    <script src="${asset('graphiql.min.js')}"></script>
    <script src="${asset('ide.js')}"></script>
  </body>
</html>
`;
}
