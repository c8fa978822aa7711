/** The package version, read from the package.json next to dist/ (the same file npm reads). */
import fs from 'node:fs';
import path from 'node:path';

/** dist/src/cli/ -> the package root. */
const PACKAGE_JSON = path.resolve(__dirname, '..', '..', '..', 'package.json');

/** The `version` of package.json, or "unknown" when it cannot be read. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
