/** The extension of `name` in lower case, without the dot (`"Report.DOCX"` → `"docx"`), or `''` when it has none. */
export function fileExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  // A leading dot starts a hidden file's name (`.bashrc`), not an extension.
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * The format a file is converted from, in lower case: its extension when its name has one, else `from`
 * (the format named for files whose names do not say theirs), else `''`. The extension wins because it is
 * the only thing known about each file of a batch, while `from` is one value for all of them.
 */
export function inputFormatOf(name: string, from?: string): string {
  return fileExtension(name) || (from ?? '').toLowerCase();
}

/** What a format name looks like (`pdf`, `docx`, `tar.gz`, `jpeg`): lower case, as in `TokenRequest`. */
export const FORMAT_PATTERN = /^[a-z0-9][a-z0-9._+-]{0,19}$/;
