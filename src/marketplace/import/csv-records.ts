import { parse } from 'csv-parse/sync';

/**
 * A CSV feed is the NDJSON feed flattened: the header names each column by its dotted path in
 * the record (`kind`, `id`, `data.marketplaceId`, `data.lines.0.unitPrice.value:number`). A
 * `:number` or `:boolean` suffix says how the cell is read; every other cell is text, and an
 * empty cell is left out. One record per line: a quoted cell may not hold a line break, so that
 * a feed can be cut at any line end and a bad row fails alone.
 */
export function csvColumns(
  header: string,
): { path: (string | number)[]; type: 'text' | 'number' | 'boolean' }[] {
  const names = parse(header, { relax_column_count: true })[0] as string[] | undefined;
  return (names ?? []).map((raw) => {
    const [name = '', type = 'text'] = raw.trim().split(':');
    if (type !== 'text' && type !== 'number' && type !== 'boolean') {
      throw new Error(`column ${raw}: the type after ":" must be number or boolean`);
    }
    return { path: name.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), type };
  });
}

export type CsvColumns = ReturnType<typeof csvColumns>;

/** One CSV line as the nested value its NDJSON twin would hold; throws a SyntaxError on bad CSV. */
export function csvLineToValue(columns: CsvColumns, text: string): unknown {
  let cells: string[];
  try {
    cells = (parse(text, { relax_column_count: true }) as string[][])[0] ?? [];
  } catch (error) {
    throw new SyntaxError(`not valid CSV: ${(error as Error).message}`);
  }
  if (cells.length > columns.length)
    throw new SyntaxError(`${cells.length} cells for ${columns.length} columns`);
  const root: Record<string | number, unknown> = {};
  for (const [index, cell] of cells.entries()) {
    if (cell === '') continue;
    const column = columns[index];
    if (!column) continue;
    const value =
      column.type === 'number'
        ? cell.trim() === ''
          ? Number.NaN
          : Number(cell)
        : column.type === 'boolean'
          ? cell === 'true'
          : cell;
    let node: Record<string | number, unknown> = root;
    for (const [depth, key] of column.path.entries()) {
      if (depth === column.path.length - 1) node[key] = value;
      else {
        const nextIsIndex = typeof column.path[depth + 1] === 'number';
        node[key] ??= nextIsIndex ? [] : {};
        node = node[key] as Record<string | number, unknown>;
      }
    }
  }
  return root;
}
