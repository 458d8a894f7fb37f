"""Baseline for benches/pricelist_export.rs: the same rows through Python XlsxWriter (constant_memory)."""
import datetime
import sys

try:
    import xlsxwriter
except ImportError:
    sys.exit("xlsxwriter is not installed: pip install xlsxwriter")

HEADERS = ["Market", "Currency", "Product ID", "Product", "SKU ID", "Plan", "Publisher", "Type", "Category",
           "Term", "Billing plan", "Unit price", "ERP price", "Effective start", "Effective end", "Free trial"]


def main(rows: int, out: str) -> None:
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("GB")
    bold = wb.add_format({"bold": True})
    money = wb.add_format({"num_format": '"£"#,##0.00'})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.freeze_panes(1, 0)
    for c, h in enumerate(HEADERS):
        ws.write_string(0, c, h, bold)
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    for i in range(rows):
        r = i + 1
        price = ((i * 37) % 10000) / 100.0 + 1.0
        ws.write_string(r, 0, "GB")
        ws.write_string(r, 1, "GBP")
        ws.write_string(r, 2, "DZH318Z0%04X" % ((i // 4) % 65536))
        ws.write_string(r, 3, "Product %d" % (i // 4))
        ws.write_string(r, 4, "000%d" % (1 + i % 3))
        ws.write_string(r, 5, "Standard")
        ws.write_string(r, 6, "Publisher %d" % (i % 300))
        ws.write_string(r, 7, "SaaS")
        ws.write_string(r, 8, "Security")
        ws.write_string(r, 9, "P1M" if i % 2 == 0 else "P1Y")
        ws.write_string(r, 10, "Monthly" if i % 2 == 0 else "Annual")
        ws.write_number(r, 11, price, money)
        ws.write_number(r, 12, round(price * 1.2 * 100) / 100, money)
        ws.write_datetime(r, 13, start, date)
        ws.write_datetime(r, 14, end, date)
        ws.write_string(r, 15, "No")
    ws.autofilter(0, 0, rows, len(HEADERS) - 1)
    wb.close()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
