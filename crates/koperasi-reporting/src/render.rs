//! Renderers: a [`Document`] as aligned text, CSV, Markdown, self-contained HTML (inline SVG
//! charts, no external assets) and XLSX (feature `xlsx`); any serde type as JSON (feature
//! `serde`).
//!
//! ```
//! use koperasi_reporting::report::{Cell, Document, Block, Table};
//! use koperasi_reporting::render;
//! use koperasi_core::Rupiah;
//!
//! let mut t = Table::new("Simpanan", &[("jenis", "Jenis"), ("saldo", "Saldo")]);
//! t.push(vec!["Simpanan pokok".into(), Rupiah::from_rupiah(10_000_000).into()]);
//! let mut doc = Document::new("Koperasi Desa Merah Putih Sukamaju");
//! doc.blocks.push(Block::Table(t));
//! assert!(render::text(&doc).contains("Rp10.000.000"));
//! assert!(render::csv(&doc)?.contains("10000000.00"));
//! assert!(render::html(&doc).starts_with("<!DOCTYPE html>"));
//! # Ok::<(), koperasi_reporting::Error>(())
//! ```

use core::fmt::Write as _;

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::health::Precision;
use crate::report::{Block, Cell, Chart, Document, Table};

fn width(s: &str) -> usize {
    s.chars().count()
}

fn pad(out: &mut String, s: &str, w: usize, right: bool) {
    let fill = w.saturating_sub(width(s));
    if right {
        out.extend(core::iter::repeat_n(' ', fill));
        out.push_str(s);
    } else {
        out.push_str(s);
        out.extend(core::iter::repeat_n(' ', fill));
    }
}

fn table_text(out: &mut String, t: &Table) {
    let ncol = t.columns.len();
    let mut widths: Vec<usize> = t.columns.iter().map(|c| width(&c.label)).collect();
    let mut numeric = vec![false; ncol];
    let all_rows = t.rows.iter().chain(t.total.iter());
    for row in all_rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(width(&cell.display()));
            }
            if cell.is_numeric()
                && let Some(n) = numeric.get_mut(i)
            {
                *n = true;
            }
        }
    }
    let line_len = widths
        .iter()
        .fold(0_usize, |a, w| a.saturating_add(*w).saturating_add(2));
    if !t.title.is_empty() {
        out.push_str(&t.title);
        out.push('\n');
    }
    let write_row = |out: &mut String, cells: &mut dyn Iterator<Item = (String, bool)>| {
        let mut line = String::new();
        for (i, (s, right)) in cells.enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            pad(&mut line, &s, widths.get(i).copied().unwrap_or(0), right);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    write_row(
        out,
        &mut t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.label.clone(), numeric.get(i).copied().unwrap_or(false))),
    );
    out.extend(core::iter::repeat_n('-', line_len.saturating_sub(2)));
    out.push('\n');
    for row in &t.rows {
        write_row(out, &mut row.iter().map(|c| (c.display(), c.is_numeric())));
    }
    if let Some(total) = &t.total {
        out.extend(core::iter::repeat_n('-', line_len.saturating_sub(2)));
        out.push('\n');
        write_row(
            out,
            &mut total.iter().map(|c| (c.display(), c.is_numeric())),
        );
    }
}

/// Aligned plain text with Indonesian labels and `Rp` amounts. Charts are skipped (their data
/// is in the tables).
pub fn text(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str(&doc.title);
    out.push('\n');
    out.extend(core::iter::repeat_n('=', width(&doc.title)));
    out.push('\n');
    for s in &doc.subtitle {
        out.push_str(s);
        out.push('\n');
    }
    for b in &doc.blocks {
        match b {
            Block::Table(t) => {
                out.push('\n');
                table_text(&mut out, t);
            }
            Block::Note(n) => {
                out.push('\n');
                out.push_str(n);
                out.push('\n');
            }
            Block::Chart(_) => {}
        }
    }
    out
}

/// CSV: for each table, a `# title` record, the header (machine keys), the rows and the total
/// row, in machine form (`1234567.50`, `12.5`); tables separated by an empty record.
///
/// # Errors
/// [`Error::Render`] if the CSV writer fails (it writes to memory, so only on a bug).
pub fn csv(doc: &Document) -> Result<String> {
    let err = |e: &dyn core::fmt::Display| Error::Render {
        format: "csv",
        detail: e.to_string(),
    };
    let mut w = ::csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut first = true;
    for t in doc.tables() {
        if !first {
            w.write_record(std::iter::empty::<&str>())
                .map_err(|e| err(&e))?;
        }
        first = false;
        w.write_record([format!("# {}", t.title)])
            .map_err(|e| err(&e))?;
        w.write_record(t.columns.iter().map(|c| c.key.as_str()))
            .map_err(|e| err(&e))?;
        for row in t.rows.iter().chain(t.total.iter()) {
            w.write_record(row.iter().map(Cell::plain))
                .map_err(|e| err(&e))?;
        }
    }
    let bytes = w.into_inner().map_err(|e| err(&e))?;
    String::from_utf8(bytes).map_err(|e| err(&e))
}

/// One table as CSV: a header row of the column keys, then the rows and the total row (plain
/// numbers, `.` as the decimal point) — no title line, so any CSV reader loads it as is.
///
/// # Errors
/// [`Error::Render`] if the CSV writer fails.
pub fn csv_table(t: &Table) -> Result<String> {
    let err = |e: &dyn core::fmt::Display| Error::Render {
        format: "csv",
        detail: e.to_string(),
    };
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(t.columns.iter().map(|c| c.key.as_str()))
        .map_err(|e| err(&e))?;
    for row in t.rows.iter().chain(t.total.iter()) {
        w.write_record(row.iter().map(Cell::plain))
            .map_err(|e| err(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| err(&e))?;
    String::from_utf8(bytes).map_err(|e| err(&e))
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Markdown: a heading per document and table, pipe tables with numbers right-aligned.
pub fn markdown(doc: &Document) -> String {
    let mut out = format!("# {}\n", md_escape(&doc.title));
    for s in &doc.subtitle {
        let _ = write!(out, "\n{}", md_escape(s));
        out.push_str("  ");
    }
    out.push('\n');
    for b in &doc.blocks {
        match b {
            Block::Table(t) => {
                let _ = write!(out, "\n## {}\n\n", md_escape(&t.title));
                let numeric: Vec<bool> = (0..t.columns.len())
                    .map(|i| {
                        t.rows
                            .iter()
                            .any(|r| r.get(i).is_some_and(Cell::is_numeric))
                    })
                    .collect();
                out.push('|');
                for c in &t.columns {
                    let _ = write!(out, " {} |", md_escape(&c.label));
                }
                out.push_str("\n|");
                for n in &numeric {
                    out.push_str(if *n { " ---: |" } else { " --- |" });
                }
                out.push('\n');
                for row in &t.rows {
                    out.push('|');
                    for c in row {
                        let _ = write!(out, " {} |", md_escape(&c.display()));
                    }
                    out.push('\n');
                }
                if let Some(total) = &t.total {
                    out.push('|');
                    for c in total {
                        let _ = write!(out, " **{}** |", md_escape(&c.display()));
                    }
                    out.push('\n');
                }
            }
            Block::Note(n) => {
                let _ = write!(out, "\n{}\n", md_escape(n));
            }
            Block::Chart(_) => {}
        }
    }
    out
}

/// Escapes text for HTML.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const PALETTE: [&str; 6] = [
    "#b91c1c", "#1d4ed8", "#15803d", "#a16207", "#7e22ce", "#0f766e",
];

/// Bar length in px (one decimal) of `value` on a scale where `max` is `full` px.
fn scale(value: Decimal, max: Decimal, full: i64) -> Decimal {
    if max <= Decimal::ZERO || value <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let p = Precision {
        mode: koperasi_core::RoundingMode::HalfUp,
        decimals: 1,
    };
    p.divide(value, Decimal::from(full), max)
        .unwrap_or(Decimal::ZERO)
}

/// An inline SVG horizontal bar chart (grouped or stacked), sized from its data.
pub fn svg_chart(chart: &Chart) -> String {
    const LABEL_W: i64 = 180;
    const PLOT_W: i64 = 420;
    const BAR_H: i64 = 14;
    let nseries = i64::try_from(chart.series.len().max(1)).unwrap_or(1);
    let group_h = if chart.stacked {
        BAR_H.saturating_add(8)
    } else {
        BAR_H.saturating_mul(nseries).saturating_add(8)
    };
    let nlabels = i64::try_from(chart.labels.len()).unwrap_or(0);
    let legend_y = group_h.saturating_mul(nlabels).saturating_add(30);
    let height = legend_y.saturating_add(20);
    let total_w = LABEL_W.saturating_add(PLOT_W).saturating_add(120);
    let max = (0..chart.labels.len())
        .map(|i| {
            let vals = chart.series.iter().filter_map(|s| s.values.get(i).copied());
            if chart.stacked {
                vals.filter(|v| *v > Decimal::ZERO)
                    .fold(Decimal::ZERO, |a, v| a.checked_add(v).unwrap_or(a))
            } else {
                vals.fold(Decimal::ZERO, Decimal::max)
            }
        })
        .fold(Decimal::ZERO, Decimal::max);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{total_w}\" height=\"{height}\" viewBox=\"0 0 {total_w} {height}\">\n<title>{}</title>\n<text x=\"0\" y=\"14\" font-size=\"14\" font-weight=\"bold\">{}</text>\n",
        html_escape(&chart.title),
        html_escape(&chart.title)
    );
    for (i, label) in chart.labels.iter().enumerate() {
        let gi = i64::try_from(i).unwrap_or(0);
        let y0 = group_h.saturating_mul(gi).saturating_add(24);
        let _ = writeln!(
            s,
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text>",
            y0.saturating_add(BAR_H.saturating_sub(3)),
            html_escape(label)
        );
        let mut x = Decimal::from(LABEL_W);
        for (k, series) in chart.series.iter().enumerate() {
            let v = series.values.get(i).copied().unwrap_or(Decimal::ZERO);
            let w = scale(v, max, PLOT_W);
            let color = color_of(k);
            let ki = i64::try_from(k).unwrap_or(0);
            let y = if chart.stacked {
                y0
            } else {
                y0.saturating_add(BAR_H.saturating_mul(ki))
            };
            let bar_x = if chart.stacked {
                x
            } else {
                Decimal::from(LABEL_W)
            };
            let _ = writeln!(
                s,
                "<rect x=\"{bar_x}\" y=\"{y}\" width=\"{w}\" height=\"{}\" fill=\"{color}\"><title>{}: {}</title></rect>",
                BAR_H.saturating_sub(2),
                html_escape(&series.name),
                html_escape(&chart.unit.display(v))
            );
            if chart.stacked {
                x = x.checked_add(w).unwrap_or(x);
            }
        }
    }
    let mut lx: i64 = 0;
    for (k, series) in chart.series.iter().enumerate() {
        let color = color_of(k);
        let _ = writeln!(
            s,
            "<rect x=\"{lx}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>",
            legend_y.saturating_sub(9),
            lx.saturating_add(14),
            legend_y,
            html_escape(&series.name)
        );
        let len = i64::try_from(series.name.chars().count()).unwrap_or(0);
        lx = lx.saturating_add(len.saturating_mul(7)).saturating_add(30);
    }
    s.push_str("</svg>\n");
    s
}

/// A self-contained HTML page: inline CSS, tables, inline SVG charts; no script, no external
/// asset.
pub fn html(doc: &Document) -> String {
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(out, "<title>{}</title>", html_escape(&doc.title));
    out.push_str(
        "<style>\nbody{font-family:system-ui,sans-serif;margin:2em;color:#111}\ntable{border-collapse:collapse;margin:0 0 1.5em}\nth,td{border:1px solid #ccc;padding:.25em .6em}\nth{background:#f3f4f6;text-align:left}\ntd.n{text-align:right;font-variant-numeric:tabular-nums}\ntr.total td{font-weight:bold;border-top:2px solid #111}\ncaption{font-weight:bold;text-align:left;padding:.3em 0}\n</style>\n</head>\n<body>\n",
    );
    let _ = writeln!(out, "<h1>{}</h1>", html_escape(&doc.title));
    for s in &doc.subtitle {
        let _ = writeln!(out, "<p>{}</p>", html_escape(s));
    }
    for b in &doc.blocks {
        match b {
            Block::Table(t) => {
                let _ = writeln!(out, "<table>\n<caption>{}</caption>", html_escape(&t.title));
                out.push_str("<thead><tr>");
                for c in &t.columns {
                    let _ = write!(out, "<th>{}</th>", html_escape(&c.label));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                let row_html = |out: &mut String, row: &[Cell], class: &str| {
                    let _ = write!(out, "<tr{class}>");
                    for c in row {
                        let cls = if c.is_numeric() { " class=\"n\"" } else { "" };
                        let _ = write!(out, "<td{cls}>{}</td>", html_escape(&c.display()));
                    }
                    out.push_str("</tr>\n");
                };
                for row in &t.rows {
                    row_html(&mut out, row, "");
                }
                if let Some(total) = &t.total {
                    row_html(&mut out, total, " class=\"total\"");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Chart(c) => {
                out.push_str("<figure>\n");
                out.push_str(&svg_chart(c));
                out.push_str("</figure>\n");
            }
            Block::Note(n) => {
                let _ = writeln!(out, "<p>{}</p>", html_escape(n));
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Any serializable report as pretty JSON (amounts as exact strings).
///
/// # Errors
/// [`Error::Render`] if serialization fails.
#[cfg(feature = "serde")]
pub fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Render {
        format: "json",
        detail: e.to_string(),
    })
}

/// A value as the XLSX renderer writes it (the plan of cells, testable without a zip).
#[cfg(feature = "xlsx")]
#[derive(Debug, Clone, PartialEq)]
pub enum XlsxValue {
    /// Text.
    Text(String),
    /// A number with an Excel number format. Money becomes `f64` **here and only here**:
    /// Excel stores numbers as IEEE doubles (15 significant digits: exact up to about
    /// Rp10 triliun with sen).
    Number(f64, &'static str),
    /// Bold text (headers, totals).
    Bold(String),
}

/// One worksheet of the XLSX plan: its name and its cells `(row, col, value)`.
#[cfg(feature = "xlsx")]
pub type XlsxSheet = (String, Vec<(u32, u16, XlsxValue)>);

/// Worksheets that [`xlsx`] writes for a document.
#[cfg(feature = "xlsx")]
pub fn xlsx_plan(doc: &Document) -> Vec<XlsxSheet> {
    use rust_decimal::prelude::ToPrimitive;
    let mut sheets: Vec<XlsxSheet> = Vec::new();
    for (ti, t) in doc.tables().enumerate() {
        let mut name: String = t
            .title
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            .take(26)
            .collect();
        if name.trim().is_empty() || sheets.iter().any(|(n, _)| *n == name) {
            name = format!(
                "{} {}",
                name.chars().take(22).collect::<String>(),
                ti.saturating_add(1)
            );
        }
        let mut cells = vec![(0_u32, 0_u16, XlsxValue::Bold(t.title.clone()))];
        for (c, col) in t.columns.iter().enumerate() {
            cells.push((
                2,
                u16::try_from(c).unwrap_or(u16::MAX),
                XlsxValue::Bold(col.label.clone()),
            ));
        }
        let rows = t
            .rows
            .iter()
            .map(|r| (r, false))
            .chain(t.total.iter().map(|r| (r, true)));
        for (ri, (row, bold)) in rows.enumerate() {
            let r = u32::try_from(ri).unwrap_or(u32::MAX).saturating_add(3);
            for (ci, cell) in row.iter().enumerate() {
                let c = u16::try_from(ci).unwrap_or(u16::MAX);
                let v = match cell {
                    Cell::Money(m) => {
                        XlsxValue::Number(m.to_decimal().to_f64().unwrap_or(0.0), "#,##0.00")
                    }
                    Cell::Number(d) | Cell::Percent(Some(d)) => {
                        XlsxValue::Number(d.to_f64().unwrap_or(0.0), "0.00")
                    }
                    Cell::Count(n) => XlsxValue::Number(n.to_f64().unwrap_or(0.0), "0"),
                    Cell::Text(s) if bold => XlsxValue::Bold(s.clone()),
                    other => XlsxValue::Text(other.plain()),
                };
                cells.push((r, c, v));
            }
        }
        sheets.push((name, cells));
    }
    sheets
}

/// An XLSX workbook: one worksheet per table. Amounts become `f64` (see [`XlsxValue`]).
///
/// # Errors
/// [`Error::Render`] if the workbook cannot be built.
#[cfg(feature = "xlsx")]
pub fn xlsx(doc: &Document) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| Error::Render {
        format: "xlsx",
        detail: e.to_string(),
    };
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    for (name, cells) in xlsx_plan(doc) {
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(err)?;
        for (r, c, v) in cells {
            match v {
                XlsxValue::Text(s) => {
                    ws.write_string(r, c, &s).map_err(err)?;
                }
                XlsxValue::Bold(s) => {
                    ws.write_string_with_format(r, c, &s, &bold).map_err(err)?;
                }
                XlsxValue::Number(n, fmt) => {
                    let f = Format::new().set_num_format(fmt);
                    ws.write_number_with_format(r, c, n, &f).map_err(err)?;
                }
            }
        }
    }
    wb.save_to_buffer().map_err(err)
}

fn color_of(k: usize) -> &'static str {
    PALETTE
        .get(k.checked_rem(PALETTE.len()).unwrap_or(0))
        .copied()
        .unwrap_or("#444")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::city::{CityView, Thresholds};
    use crate::health::{assess, perdep_06_2016};

    fn city() -> CityView {
        CityView::build(
            "Kota Probolinggo",
            crate::city::tests::fixture(),
            &Thresholds::default(),
        )
        .unwrap()
    }

    /// Issue 19: SVG tooltips of money charts say "Rp" and keep both decimals.
    #[test]
    fn svg_tooltips_show_rupiah() {
        let chart = Chart {
            title: "Simpanan".into(),
            labels: vec!["A".into()],
            series: vec![crate::report::Series {
                name: "Simpanan".into(),
                values: vec![rust_decimal_macros::dec!(219953832.6)],
            }],
            stacked: false,
            unit: crate::report::ChartUnit::Rupiah,
        };
        let svg = svg_chart(&chart);
        assert!(
            svg.contains("<title>Simpanan: Rp219.953.832,60</title>"),
            "{svg}"
        );
    }

    #[test]
    fn snapshot_city_text() {
        insta::assert_snapshot!(text(&city().document()));
    }

    #[test]
    fn snapshot_city_csv() {
        insta::assert_snapshot!(csv(&city().document()).unwrap());
    }

    #[test]
    fn snapshot_city_markdown() {
        insta::assert_snapshot!(markdown(&city().document()));
    }

    #[test]
    fn snapshot_city_html() {
        let h = html(&city().document());
        assert!(
            !h.contains("http://")
                || h.matches("http://").count()
                    == h.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
        );
        assert!(!h.contains("<script"));
        assert_eq!(h.matches("<svg").count(), 3);
        insta::assert_snapshot!(h);
    }

    #[test]
    fn snapshot_health_text() {
        let a = assess(&perdep_06_2016(), &crate::health::tests::sukamaju()).unwrap();
        insta::assert_snapshot!(text(&a.document()));
    }

    #[cfg(feature = "serde")]
    #[test]
    fn snapshot_city_json() {
        insta::assert_snapshot!(json(&city()).unwrap());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn snapshot_health_json() {
        let a = assess(&perdep_06_2016(), &crate::health::tests::sukamaju()).unwrap();
        insta::assert_snapshot!(json(&a).unwrap());
    }

    #[cfg(feature = "xlsx")]
    #[test]
    fn snapshot_city_xlsx() {
        let doc = city().document();
        insta::assert_debug_snapshot!(xlsx_plan(&doc));
        let bytes = xlsx(&doc).unwrap();
        assert_eq!(bytes.get(..2), Some(&b"PK"[..]));
    }

    #[test]
    fn html_escapes_and_text_aligns() {
        let mut t = Table::new("A <b>", &[("x", "X"), ("y", "Jumlah")]);
        t.push(vec![
            "<script>".into(),
            koperasi_core::Rupiah::from_rupiah(5).into(),
        ]);
        t.push(vec![
            "panjang sekali".into(),
            koperasi_core::Rupiah::from_rupiah(1_000_000).into(),
        ]);
        let mut d = Document::new("T & U");
        d.blocks.push(Block::Table(t));
        let h = html(&d);
        assert!(h.contains("&lt;script&gt;") && h.contains("T &amp; U"));
        let txt = text(&d);
        let lines: Vec<&str> = txt.lines().filter(|l| l.contains("Rp")).collect();
        assert_eq!(lines[0].len(), lines[1].len(), "{txt}");
        assert!(markdown(&d).contains("| ---: |"));
    }
}
