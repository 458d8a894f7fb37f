"""Baseline for benches/pricelist_export.rs: Python XlsxWriter (constant_memory) writes the same rows
as CSP Desk's export, read from CSP Desk's .csv export of the same markets: one sheet per market,
the same header, text, numbers with the currency's format, real dates, a frozen header and a filter.

python3 xlsxwriter_baseline.py EXPORT.csv OUT.xlsx
"""
import csv
import datetime
import sys

try:
    import xlsxwriter
except ImportError:
    sys.exit("xlsxwriter is not installed: pip install xlsxwriter")

SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "AUD": "$", "NZD": "$", "CAD": "$",
           "SGD": "$", "MXN": "$", "INR": "₹", "BRL": "R$", "ZAR": "R", "SEK": "kr", "NOK": "kr",
           "DKK": "kr", "PLN": "zł", "CHF": "CHF"}


def price_format(currency):
    decimals = "#,##0" if currency == "JPY" else "#,##0.00"
    s = SYMBOLS.get(currency, "")
    if not s:
        return '%s "%s"' % (decimals, currency)
    if s in ("kr", "zł", "CHF"):
        return '%s "%s"' % (decimals, s)
    return '"%s"%s' % (s, decimals)


def main(src, out):
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    bold = wb.add_format({"bold": True, "align": "center", "bg_color": "#DDE7F3"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws, market, r, headers = None, None, 0, None

    def close():
        if ws is not None:
            ws.autofilter(0, 0, max(r, 1), len(headers) - 1)

    with open(src, newline="", encoding="utf-8-sig") as f:
        rows = csv.reader(f)
        headers = next(rows)
        for row in rows:
            if row[0] != market:
                close()
                market, r = row[0], 0
                ws = wb.add_worksheet(market)
                money = wb.add_format({"num_format": price_format(row[1])})
                ws.set_column(11, 12, 13, money)
                ws.set_column(13, 14, 14, date)
                ws.freeze_panes(1, 0)
                for c, h in enumerate(headers):
                    ws.write_string(0, c, h, bold)
            r += 1
            for c in range(11):
                if row[c]:
                    ws.write_string(r, c, row[c])
            ws.write_number(r, 11, float(row[11]), money)
            if row[12]:
                ws.write_number(r, 12, float(row[12]), money)
            for c in (13, 14):
                if row[c]:
                    ws.write_datetime(r, c, datetime.datetime.strptime(row[c], "%Y-%m-%d"), date)
            ws.write_string(r, 15, row[15])
    close()
    wb.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
