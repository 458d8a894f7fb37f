// The Pricing tab: the partner's margin rules (issue 20). Each rule in words, with Remove; a
// form that adds one (the core refuses a rule below cost unless it is a promotion, and says
// why); and the rules shared as a .toml or .csv file (a bad file names its line and keeps the
// rules as they were). The rules price the customer price lists of the Export tab and of the
// daily export.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import * as api from "../api";
import { count } from "../format";
import type { MarkupBasis, RuleForm, Rounding, RuleRow } from "../bindings";
import { ErrorBanner } from "../shell/ErrorBanner";
import type { ViewProps } from "../shell/nav";
import { Table } from "../shell/Table";
import { Options } from "../shell/Options";
import { t } from "../i18n";
import { Trans } from "react-i18next";

type Scope = "all" | "type" | "publisher" | "category" | "product" | "plan";

const SCOPES: { id: Scope; label: string }[] = [
  { id: "all", get label() { return t("pricingTab.everything"); } },
  { id: "type", get label() { return t("pricingTab.aProductType"); } },
  { id: "publisher", get label() { return t("pricingTab.aPublisher"); } },
  { id: "category", get label() { return t("pricingTab.aCategory"); } },
  { id: "product", get label() { return t("pricingTab.aProduct"); } },
  { id: "plan", get label() { return t("pricingTab.onePlanOfAProduct"); } },
];

const ROUNDINGS: { id: Rounding; label: string }[] = [
  { id: "none", get label() { return t("pricingTab.noRounding"); } },
  { id: "up99", get label() { return t("pricingTab.upTo99"); } },
  { id: "up95", get label() { return t("pricingTab.upTo95"); } },
  { id: "up49", get label() { return t("pricingTab.upTo49"); } },
  { id: "nearest005", get label() { return t("pricingTab.nearest005"); } },
  { id: "nearest1", get label() { return t("pricingTab.nearest1"); } },
];

const signed = (n: number) => (n >= 0 ? `+${n}` : String(n));

/** A rule in the UI's language, from its fields (the core's words for it are the CLI's). */
export function ruleWords(r: RuleRow): string {
  const rounding = r.rounding === "none" ? null : ROUNDINGS.find((x) => x.id === r.rounding)?.label;
  const markup = [r.percent !== null && (r.basis === "erp" ? t("pricingTab.words.percentOfErp", { p: signed(r.percent) }) : `${signed(r.percent)}%`), r.fixed !== null && signed(r.fixed), rounding && `(${rounding})`];
  const scope = [
    r.skuId && t("pricingTab.words.plan", { v: r.skuId }),
    r.productId && t("pricingTab.words.product", { v: r.productId }),
    r.publisher && t("pricingTab.words.publisher", { v: r.publisher }),
    r.category && t("pricingTab.words.category", { v: r.category }),
    r.productType && t("pricingTab.words.type", { v: r.productType }),
    r.market && t("pricingTab.words.market", { v: r.market }),
  ].filter(Boolean);
  const words = t("pricingTab.words.rule", { id: r.id, markup: markup.filter(Boolean).join(" "), scope: scope.length ? scope.join(", ") : t("pricingTab.words.everything") });
  return r.promotion ? `${words} · ${t("pricingTab.words.promotion")}` : words;
}

interface Form {
  percent: string;
  fixed: string;
  basis: MarkupBasis;
  rounding: Rounding;
  scope: Scope;
  value: string;
  sku: string;
  market: string;
  promotion: boolean;
}

const EMPTY: Form = { percent: "", fixed: "", basis: "unit", rounding: "none", scope: "all", value: "", sku: "", market: "", promotion: false };

/** The form as the core takes it: the numbers as typed (the core reads them, as the CLI's), the
 * scope's one field; the core checks the rest (a markup, not below cost, a plan's product). */
export function ruleOf(f: Form): RuleForm {
  const v = f.value.trim() || null;
  return {
    percent: f.percent,
    fixed: f.fixed,
    basis: f.basis,
    rounding: f.rounding,
    promotion: f.promotion,
    productType: f.scope === "type" ? v : null,
    publisher: f.scope === "publisher" ? v : null,
    category: f.scope === "category" ? v : null,
    productId: f.scope === "product" || f.scope === "plan" ? v : null,
    skuId: f.scope === "plan" ? f.sku.trim() || null : null,
    market: f.market.trim() || null,
  };
}

export function PricingTab({ toast }: ViewProps) {
  const client = useQueryClient();
  const rules = useQuery({ queryKey: ["margin-rules"], queryFn: api.marginRules });
  const [form, setForm] = useState<Form>(EMPTY);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const done = (next: RuleRow[], said: string) => {
    client.setQueryData(["margin-rules"], next);
    toast(said);
  };
  const add = useMutation({
    mutationFn: () => api.addMarginRule(ruleOf(form)),
    onSuccess: (next) => {
      done(next, t("pricingTab.ruleAdded"));
      setForm(EMPTY);
    },
  });
  const remove = useMutation({ mutationFn: (id: number) => api.removeMarginRule(id), onSuccess: (next) => done(next, t("pricingTab.ruleRemoved")) });
  const importRules = useMutation({
    mutationFn: async () => {
      const path = await api.chooseRulesFile(t("pricingTab.importRulesTitle"));
      return path === null ? null : api.importMarginRules(path);
    },
    onSuccess: (next) => next && done(next, t("pricingTab.imported", { n: count(next.length) })),
  });
  const exportRules = useMutation({
    mutationFn: async () => {
      const path = await api.saveRulesAs("margin-rules.toml");
      return path === null ? null : api.exportMarginRules(path);
    },
    onSuccess: (path) => path && toast(t("pricingTab.exportedTo", { path })),
  });
  const busy = add.isPending || remove.isPending || importRules.isPending;
  const list = rules.data ?? [];
  const needsValue = form.scope !== "all";

  return (
    <div className="pricing" role="tabpanel" id="panel-pricing" aria-labelledby="tab-pricing">
      <p className="hint">
        {t("pricingTab.yourSellPricesMicrosoftS")}
      </p>
      {rules.error && <ErrorBanner error={rules.error} what={t("pricingTab.theMarginRulesCouldNot")} />}
      {add.error && <ErrorBanner error={add.error} what={t("pricingTab.theRuleWasNotAdded")} onDismiss={add.reset} />}
      {remove.error && <ErrorBanner error={remove.error} what={t("pricingTab.theRuleWasNotRemoved")} onDismiss={remove.reset} />}
      {importRules.error && <ErrorBanner error={importRules.error} what={t("pricingTab.noRulesWereImportedThe")} onDismiss={importRules.reset} />}
      {exportRules.error && <ErrorBanner error={exportRules.error} what={t("pricingTab.theRulesWereNotExported")} onDismiss={exportRules.reset} />}

      <Table
        className="plain-table rules-table"
        label={t("pricingTab.marginRules")}
        scoped
        rows={list}
        rowKey={(r) => r.id}
        empty={!rules.isPending && t("pricingTab.noRulesYetCustomerPrice")}
        cols={[
          { head: t("pricingTab.rule"), cell: ruleWords },
          {
            head: <Trans i18nKey="pricingTab.actions" components={{ span: <span className="visually-hidden" /> }} />,
            className: "actions",
            cell: (r) => (
              <button type="button" className="small" disabled={busy} aria-label={t("pricingTab.removeRuleId", { id: r.id })} onClick={() => remove.mutate(r.id)}>
                {t("pricingTab.remove")}
              </button>
            ),
          },
        ]}
      />
      <div className="row-actions">
        <button type="button" disabled={busy} onClick={() => importRules.mutate()}>
          {t("pricingTab.import")}
        </button>
        <button type="button" disabled={busy || list.length === 0} onClick={() => exportRules.mutate()}>
          {t("pricingTab.export")}
        </button>
      </div>

      <form
        className="rule-form"
        aria-labelledby="rule-form-title"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <h2 id="rule-form-title">{t("pricingTab.addARule")}</h2>
        <div className="fields">
          <label>
            {t("pricingTab.markup")}
            <input inputMode="decimal" value={form.percent} placeholder={t("pricingTab.eG20")} onChange={(e) => set("percent", e.target.value)} />
          </label>
          <label>
            {t("pricingTab.fixedAmount")}
            <input inputMode="decimal" value={form.fixed} placeholder={t("pricingTab.eG150")} onChange={(e) => set("fixed", e.target.value)} />
          </label>
          <label>
            {t("pricingTab.percentOf")}
            <select value={form.basis} onChange={(e) => set("basis", e.target.value as MarkupBasis)}>
              <option value="unit">{t("pricingTab.unitPriceCost")}</option>
              <option value="erp">{t("pricingTab.erpPrice")}</option>
            </select>
          </label>
          <label>
            {t("pricingTab.rounding")}
            <select value={form.rounding} onChange={(e) => set("rounding", e.target.value as Rounding)}>
              <Options items={ROUNDINGS.map((r) => [r.id, r.label])} />
            </select>
          </label>
          <label>
            {t("pricingTab.appliesTo")}
            <select value={form.scope} onChange={(e) => set("scope", e.target.value as Scope)}>
              <Options items={SCOPES.map((s) => [s.id, s.label])} />
            </select>
          </label>
          {needsValue && (
            <label>
              {form.scope === "plan" || form.scope === "product" ? t("pricingTab.productId") : SCOPES.find((s) => s.id === form.scope)?.label.replace(/^An? /, "")}
              <input value={form.value} required onChange={(e) => set("value", e.target.value)} />
            </label>
          )}
          {form.scope === "plan" && (
            <label>
              {t("pricingTab.planSkuId")}
              <input value={form.sku} required onChange={(e) => set("sku", e.target.value)} />
            </label>
          )}
          <label>
            {t("pricingTab.marketOptional")}
            <input value={form.market} maxLength={2} placeholder={t("pricingTab.any")} onChange={(e) => set("market", e.target.value.toUpperCase())} />
          </label>
          <label className="check">
            <input type="checkbox" checked={form.promotion} onChange={(e) => set("promotion", e.target.checked)} />
            {t("pricingTab.promotionMaySellBelowCost")}
          </label>
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {t("pricingTab.addRule")}
        </button>
      </form>
    </div>
  );
}
