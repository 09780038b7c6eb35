import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * The absolute path of the first of `names` found as an executable file on `PATH` (or the given
 * absolute path itself, when executable); `undefined` when none is. Looks at the file system only:
 * no shell and no `which`, so a missing tool costs nothing and a name is never interpreted.
 */
export async function findExecutable(
  names: readonly string[],
  path: string = process.env['PATH'] ?? '',
): Promise<string | undefined> {
  const directories = path.split(delimiter).filter((directory) => isAbsolute(directory));
  for (const name of names) {
    const candidates = isAbsolute(name) ? [name] : directories.map((directory) => join(directory, name));
    for (const candidate of candidates) {
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

async function isExecutableFile(candidate: string): Promise<boolean> {
  try {
    if (!(await stat(candidate)).isFile()) return false;
    await access(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
