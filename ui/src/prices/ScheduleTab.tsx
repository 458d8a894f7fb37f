// The daily export (issue 20): when, which markets and formats, which folder, how long dated
// files are kept, and whether customer price lists are written too. Saving registers a
// user-level OS job that runs the installed `cspdesk` CLI, so it runs whether or not CSP Desk
// is open; Turn off removes it. Every run, scheduled or by hand, is listed with its outcome; a
// failed or missed one is said first, with Run now. Shown in Price lists and in Settings.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import * as api from "../api";
import type { ExportFormat, ScheduleSettings, ScheduleStatus } from "../bindings";
import { count } from "../format";
import { ErrorBanner } from "../shell/ErrorBanner";
import { type Col, Table } from "../shell/Table";
import "./desk.css";
import { say, t } from "../i18n";
import { parseMarkets } from "../settings/values";
import { Trans } from "react-i18next";

const FORMATS: readonly ExportFormat[] = ["xlsx", "csv"];
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "—");

const RUN_COLS: Array<Col<ScheduleStatus["runs"][number]>> = [
  { get head() { return t("scheduleTab.started"); }, cell: (r) => when(r.startedAt) },
  { get head() { return t("scheduleTab.finished"); }, cell: (r) => when(r.finishedAt) },
  { get head() { return t("scheduleTab.how"); }, cell: (r) => (r.manual ? t("scheduleTab.byHand") : t("scheduleTab.scheduled")) },
  { get head() { return t("scheduleTab.outcome"); }, cell: (r) => (r.ok ? t("scheduleTab.done") : t("scheduleTab.failed")) },
  { get head() { return t("scheduleTab.rows"); }, headClass: "num", className: "num", cell: (r) => (r.ok ? count(r.rows) : "") },
  { get head() { return t("scheduleTab.filesOrReason"); }, className: "files", cell: (r) => (r.ok ? r.files.map((f) => <div key={f}>{f}</div>) : r.error) },
];

function defaults(market: string): ScheduleSettings {
  return {
    at: "06:30",
    markets: [market],
    formats: ["xlsx"],
    dir: "",
    customerPrices: false,
    customerList: { customer: "", partner: "", validDays: 30, internal: false },
    keepDays: 30,
  };
}

/** The form's text as the settings the core checks. */
export function settingsOf(f: ScheduleSettings & { marketsText: string }): ScheduleSettings {
  const { marketsText, ...rest } = f;
  return { ...rest, markets: parseMarkets(marketsText) };
}

export function useScheduleStatus() {
  return useQuery({ queryKey: ["schedule"], queryFn: api.scheduleStatus });
}

/** A failed or missed daily export, said where the app starts, with Run now. */
export function ScheduleNotice() {
  const status = useScheduleStatus();
  const run = useRunNow();
  const [hidden, setHidden] = useState(false);
  const said = status.data?.attention && say(status.data.attentionMessage, status.data.attention);
  if (!said || hidden) return null;
  return (
    <div className="notice warn app-notice" role="alert">
      <span>{said}</span>
      <button type="button" className="small" disabled={run.isPending} onClick={() => run.mutate()}>
        {run.isPending ? t("scheduleTab.running") : t("scheduleTab.runNow")}
      </button>
      <button type="button" className="small link" aria-label={t("scheduleTab.dismiss")} onClick={() => setHidden(true)}>
        ×
      </button>
      {run.error && <ErrorBanner error={run.error} what={t("scheduleTab.theExportDidNotRun")} onDismiss={run.reset} />}
    </div>
  );
}

function useRunNow(toast?: (m: string) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: api.runScheduleNow,
    onSuccess: (done) => toast?.(t("scheduleTab.written", { count: done.files.length, rows: count(done.rows), files: count(done.files.length) })),
    onSettled: () => client.invalidateQueries({ queryKey: ["schedule"] }),
  });
}

export function ScheduleTab({ market, toast }: { market: string; toast: (m: string) => void }) {
  const client = useQueryClient();
  const status = useScheduleStatus();
  if (status.isPending) return <p className="hint">{t("scheduleTab.readingTheSchedule")}</p>;
  if (status.error) return <ErrorBanner error={status.error} what={t("scheduleTab.theScheduleCouldNotBe")} />;
  return <ScheduleForm key={status.dataUpdatedAt} status={status.data} market={market} toast={toast} onSaved={() => void client.invalidateQueries({ queryKey: ["schedule"] })} />;
}

function ScheduleForm({ status, market, toast, onSaved }: { status: ScheduleStatus; market: string; toast: (m: string) => void; onSaved: () => void }) {
  const start = status.settings ?? defaults(market);
  const [form, setForm] = useState({ ...start, marketsText: start.markets.join(", ") });
  const set = <K extends keyof typeof form>(k: K, v: (typeof form)[K]) => setForm((f) => ({ ...f, [k]: v }));
  const setList = (k: "customer" | "partner", v: string) => setForm((f) => ({ ...f, customerList: { ...f.customerList, [k]: v } }));
  const toggleFormat = (x: ExportFormat, on: boolean) => set("formats", on ? [...form.formats.filter((f) => f !== x), x] : form.formats.filter((f) => f !== x));
  const save = useMutation({
    mutationFn: () => api.setSchedule(settingsOf(form)),
    onSuccess: (r) => {
      toast(t("scheduleTab.set", { backend: r.backend }));
      onSaved();
    },
  });
  const off = useMutation({
    mutationFn: api.removeSchedule,
    onSuccess: () => {
      toast(t("scheduleTab.turnedOff"));
      onSaved();
    },
  });
  const run = useRunNow(toast);
  const pick = useMutation({
    mutationFn: () => api.chooseFolder(t("scheduleTab.folderForDailyFiles"), form.dir || undefined),
    onSuccess: (d) => d && set("dir", d),
  });
  const busy = save.isPending || off.isPending || run.isPending;

  return (
    <div className="schedule">
      {status.attention && (
        <div className="notice warn" role="alert">
          <span>{say(status.attentionMessage, status.attention)}</span>
        </div>
      )}
      {save.error && <ErrorBanner error={save.error} what={t("scheduleTab.theDailyExportWasNot")} onDismiss={save.reset} />}
      {off.error && <ErrorBanner error={off.error} what={t("scheduleTab.theDailyExportWasNot2")} onDismiss={off.reset} />}
      {run.error && <ErrorBanner error={run.error} what={t("scheduleTab.theExportDidNotRun2")} onDismiss={run.reset} />}
      <form
        className="schedule-form"
        aria-label={t("scheduleTab.dailyExport")}
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <p className="hint">
          {status.settings
            ? t("scheduleTab.onEveryDayAtAt", { at: status.settings.at })
            : t("scheduleTab.offSetATimeTo")}
        </p>
        <div className="fields">
          <label>
            {t("scheduleTab.time")}
            <input type="time" required value={form.at} onChange={(e) => set("at", e.target.value)} />
          </label>
          <label>
            {t("scheduleTab.markets")}
            <input required value={form.marketsText} placeholder={t("scheduleTab.gbUs")} onChange={(e) => set("marketsText", e.target.value)} />
          </label>
          <fieldset className="formats">
            <legend>{t("scheduleTab.formats")}</legend>
            {FORMATS.map((x) => (
              <label key={x} className="check">
                <input type="checkbox" checked={form.formats.includes(x)} onChange={(e) => toggleFormat(x, e.target.checked)} />
                {x === "xlsx" ? t("scheduleTab.excelXlsx") : t("scheduleTab.csv")}
              </label>
            ))}
          </fieldset>
          <label className="wide">
            {t("scheduleTab.folder")}
            <span className="with-button">
              <input required value={form.dir} placeholder={t("scheduleTab.homeMePrices")} onChange={(e) => set("dir", e.target.value)} />
              <button type="button" onClick={() => pick.mutate()}>
                {t("scheduleTab.choose")}
              </button>
            </span>
          </label>
          <label>
            {t("scheduleTab.keepDatedFilesDays")}
            <input type="number" min={1} max={3650} value={form.keepDays} onChange={(e) => set("keepDays", Number(e.target.value))} />
          </label>
          <label className="check">
            <input type="checkbox" checked={form.customerPrices} onChange={(e) => set("customerPrices", e.target.checked)} />
            {t("scheduleTab.alsoWriteTheCustomerPrice")}
          </label>
          {form.customerPrices && (
            <>
              <label>
                {t("scheduleTab.customer")}
                <input value={form.customerList.customer} onChange={(e) => setList("customer", e.target.value)} />
              </label>
              <label>
                {t("scheduleTab.yourCompany")}
                <input value={form.customerList.partner} onChange={(e) => setList("partner", e.target.value)} />
              </label>
            </>
          )}
        </div>
        <div className="row-actions">
          <button type="submit" className="primary" disabled={busy}>
            {status.settings ? t("scheduleTab.saveSchedule") : t("scheduleTab.turnOn")}
          </button>
          {status.settings && (
            <>
              <button type="button" disabled={busy} onClick={() => run.mutate()}>
                {run.isPending ? t("scheduleTab.running") : t("scheduleTab.runNow")}
              </button>
              <button type="button" disabled={busy} onClick={() => off.mutate()}>
                {t("scheduleTab.turnOff")}
              </button>
            </>
          )}
        </div>
        {save.data && (
          <p className="hint" role="status">
            <Trans i18nKey="scheduleTab.registeredBackendEntry" values={{ backend: save.data.backend, entry: save.data.entry }} components={{ code: <code /> }} />
          </p>
        )}
      </form>

      <h2 id="runs-title">{t("scheduleTab.runs")}</h2>
      <Table className="plain-table runs-table" labelledBy="runs-title" scoped rows={status.runs} cols={RUN_COLS} rowKey={(r) => r.id} rowProps={(r) => ({ className: r.ok ? "" : "failed" })} empty={t("scheduleTab.noRunsYet")} />
    </div>
  );
}
