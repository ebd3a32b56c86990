import { readFileSync } from 'node:fs';
import type { ProjectFile } from './project-files.ts';
import type { DocNode } from './types.ts';

/**
 * The `{% docs name %}…{% enddocs %}` blocks of the project's .md files (their
 * contents stripped, as dbt stores them).
 *
 * @example
 * docsBlocks('shop', files) // → [{ uniqueId: 'doc.shop.orders_status', blockContents: 'One of …', … }]
 */
export function docsBlocks(projectName: string, files: readonly ProjectFile[]): DocNode[] {
  const out: DocNode[] = [];
  const pattern = /\{%-?\s*docs\s+(\w+)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g;
  for (const file of files) {
    const text = readFileSync(file.absolutePath, 'utf8');
    for (const match of text.matchAll(pattern)) {
      const name = match[1] ?? '';
      out.push({
        uniqueId: `doc.${projectName}.${name}`,
        name,
        packageName: projectName,
        path: file.path,
        originalFilePath: file.originalFilePath,
        blockContents: (match[2] ?? '').trim(),
      });
    }
  }
  return out;
}
