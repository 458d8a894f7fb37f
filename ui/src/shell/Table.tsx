// The small tables inside a panel or a tab (a customer's subscriptions, an order's lines, the
// margin rules…): every row shown, no sorting or keys. The lists themselves are the grid (Grid.tsx).
import type { HTMLAttributes, Key, ReactNode } from "react";

/** One column: its header, its cell for a row, and its classes. */
export interface Col<T> {
  head: ReactNode;
  cell: (row: T, index: number) => ReactNode;
  /** The column's width in a `<colgroup>` (the table has one when a column has a width). */
  width?: string;
  /** Class and tooltip of the header cell. */
  headClass?: string;
  headTitle?: string;
  /** Class ("num" right-aligns) and tooltip of the cells. */
  className?: string;
  title?: (row: T) => string | undefined;
}

interface Props<T> {
  rows: readonly T[];
  cols: ReadonlyArray<Col<T>>;
  rowKey: (row: T, index: number) => Key;
  /** Attributes of a row: a class, a tooltip, `data-*` for tests and lookups. */
  rowProps?: (row: T) => HTMLAttributes<HTMLTableRowElement> & Partial<Record<`data-${string}`, string>>;
  className: string;
  id?: string;
  label?: string;
  labelledBy?: string;
  /** The headers are `scope="col"`. */
  scoped?: boolean;
  /** Said in one full-width row when there are no rows. */
  empty?: ReactNode;
}

export function Table<T>({ rows, cols, rowKey, rowProps, className, id, label, labelledBy, scoped, empty }: Props<T>) {
  return (
    <table className={className} id={id} aria-label={label} aria-labelledby={labelledBy}>
      {cols.some((c) => c.width) && (
        <colgroup>
          {cols.map((c, i) => (
            <col key={i} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
      )}
      <thead>
        <tr>
          {cols.map((c, i) => (
            <th key={i} scope={scoped ? "col" : undefined} className={c.headClass} title={c.headTitle}>
              {c.head}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && empty && (
          <tr>
            <td colSpan={cols.length} className="none">
              {empty}
            </td>
          </tr>
        )}
        {rows.map((r, i) => (
          <tr key={rowKey(r, i)} {...rowProps?.(r)}>
            {cols.map((c, ci) => (
              <td key={ci} className={c.className} title={c.title?.(r)}>
                {c.cell(r, i)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
