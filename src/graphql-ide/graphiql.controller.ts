import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { dirname, join } from 'node:path';
import { IDE_ASSETS_PATH } from './graphiql-page';
import { ideScript } from './ide-script';

function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** The only files served: a fixed list, read from the installed npm packages (works offline). */
const PACKAGE_FILES: Record<string, () => string> = {
  'react.production.min.js': () => packageFile('react', 'umd/react.production.min.js'),
  'react-dom.production.min.js': () => packageFile('react-dom', 'umd/react-dom.production.min.js'),
  'graphiql.min.js': () => packageFile('graphiql', 'graphiql.min.js'),
  'graphiql.min.css': () => packageFile('graphiql', 'graphiql.min.css'),
  'graphql-ws.min.js': () => packageFile('graphql-ws', 'umd/graphql-ws.min.js'),
};

/** GraphiQL's files (the page itself is Apollo's landing page: graphiqlLandingPagePlugin). Reachable without a token, like the page. */
@Controller(IDE_ASSETS_PATH.slice(1))
export class GraphiqlController {
  private readonly script = ideScript();

  @Get('ide.js')
  ide(@Res() response: Response): void {
    response.type('application/javascript').send(this.script);
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res() response: Response): void {
    if (!Object.hasOwn(PACKAGE_FILES, file)) throw new NotFoundException();
    response.type(file.endsWith('.css') ? 'text/css' : 'application/javascript');
    response.sendFile(PACKAGE_FILES[file](), { maxAge: '1h' });
  }
}
