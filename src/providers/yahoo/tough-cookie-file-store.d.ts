// tough-cookie-file-store 2.x ships no types. It comes with yahoo-finance2 (a dependency of it), and
// its store plugs into yahoo-finance2's ExtendedCookieJar, as the library's own CLI does.
declare module 'tough-cookie-file-store' {
  import type { Store } from 'tough-cookie';

  export class FileCookieStore extends Store {
    constructor(filePath: string);
  }
}
