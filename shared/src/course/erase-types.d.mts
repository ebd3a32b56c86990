/** See erase-types.mjs: the source with its types erased, or Node's SyntaxError for it. */
export function eraseTypes(source: string, path: string): string;
