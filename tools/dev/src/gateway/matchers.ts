import picomatch from 'picomatch';

/** Firebase Hosting's `source` (a glob) or `regex` (RE2; JavaScript's RegExp covers what we use). */
export function pathMatcher(rule: { source: string } | { regex: string }): (path: string) => boolean {
  if ('regex' in rule) {
    const re = new RegExp(rule.regex);
    return (path) => re.test(path);
  }
  const glob = picomatch(rule.source, { dot: true });
  return (path) => glob(path);
}

/** Hosting i18n folders for an Accept-Language header, best first: `es_mx`, `es_ALL`, … */
export function i18nFolders(acceptLanguage: string | undefined, country: string | undefined): string[] {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.tag && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const folders: string[] = [];
  const cc = country?.toLowerCase();
  for (const { tag } of ranked) {
    const [language = '', region] = tag.toLowerCase().split('-');
    if (cc) folders.push(`${language}_${cc}`);
    if (region && region.length === 2) folders.push(`${language}_${region}`);
    folders.push(`${language}_ALL`);
  }
  if (cc) folders.push(`ALL_${cc}`);
  return [...new Set(folders)];
}
