// What the detail panels and dialogs share: the ✕ that closes them, the panel beside a list
// (its title, what goes under it, ✕), and the rows of their facts lists (`<dl>`).
import type { ReactNode } from "react";

import { t } from "../i18n";

/** ✕: named "Close (Esc)" unless `label` names it otherwise. */
export function CloseButton({ onClick, label = t("detail.closeEsc"), disabled }: { onClick: () => void; label?: string; disabled?: boolean }) {
  return (
    <button type="button" className="ghost close" onClick={onClick} disabled={disabled} aria-label={label} title={t("detail.closeEsc")}>
      ✕
    </button>
  );
}

interface DetailProps {
  id: string;
  /** The panel's accessible name. */
  label: string;
  title: ReactNode;
  titleId?: string;
  /** Under the title: pills, a muted line. */
  sub?: ReactNode;
  className?: string;
  onClose: () => void;
  children?: ReactNode;
}

/** The panel beside a list that shows the row opened (Esc closes it, through the grid). */
export function Detail({ id, label, title, titleId, sub, className, onClose, children }: DetailProps) {
  return (
    <aside className={className ? `detail ${className}` : "detail"} id={id} aria-label={label}>
      <div className="detail-head">
        <div>
          <h2 id={titleId}>{title}</h2>
          {sub}
        </div>
        <CloseButton onClick={onClose} label={t("detail.closeDetailEsc")} />
      </div>
      {children}
    </aside>
  );
}

/** One row of a facts list: `label` (`<dt>`) and its value (`<dd>`, with `id` and `className`). */
export function Fact({ label, id, className, children }: { label: string; id?: string; className?: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd id={id} className={className}>
        {children}
      </dd>
    </>
  );
}
