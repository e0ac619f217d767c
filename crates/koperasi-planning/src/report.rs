//! Reports: a renderer-neutral [`Report`] (tables, line charts, notes) built from an
//! assessment, a mapping, an RAPB or a variance; rendered as Markdown or as one self-contained
//! HTML page with inline SVG line charts (cash and DSCR over time). Labels are Indonesian and
//! numbers use the Indonesian format (`Rp1.234.567`, `1,2500`). The tables are plain data, so
//! other renderers (the CLI's XLSX through `koperasi-reporting`) can take them as they are.

use core::fmt::Write as _;

use koperasi_core::{Decimal, Rupiah};

use crate::assess::{Assessment, ratio_id};
use crate::mapping::Mapping;
use crate::rapb::{Rapb, Variance};

/// A table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Cell {
    /// Text.
    Text(String),
    /// Money.
    Money(Rupiah),
    /// A ratio or percentage; `None` shown as `–`.
    Number(Option<Decimal>),
    /// A count.
    Count(u64),
}

impl Cell {
    /// The Indonesian display form.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Money(r) => r.to_string(),
            Cell::Number(Some(d)) => decimal_id(*d),
            Cell::Number(None) => "–".to_owned(),
            Cell::Count(n) => decimal_id(Decimal::from(*n)),
        }
    }

    /// `true` for numbers (right-aligned).
    pub fn is_numeric(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }
}

/// A decimal in Indonesian style: `1.234,5`.
pub fn decimal_id(d: Decimal) -> String {
    let s = d.normalize().to_string();
    let (neg, s) = s
        .strip_prefix('-')
        .map_or((false, s.as_str()), |t| (true, t));
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut out = String::with_capacity(s.len().saturating_add(4));
    if neg {
        out.push('-');
    }
    let n = int.len();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && n.saturating_sub(i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// A table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Table {
    /// Title.
    pub title: String,
    /// Column labels.
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(title: &str, columns: &[&str]) -> Table {
        Table {
            title: title.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
        }
    }
}

/// A line chart over months.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LineChart {
    /// Title.
    pub title: String,
    /// One label per point (`1`, `2` … or `01/2026`).
    pub labels: Vec<String>,
    /// Series: name and values (`None` = no point).
    pub series: Vec<(String, Vec<Option<Decimal>>)>,
    /// A horizontal reference line (e.g. the DSCR threshold).
    pub reference: Option<(String, Decimal)>,
    /// Values are money (axis labels in rupiah).
    pub money: bool,
}

/// A block of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Block {
    /// A table.
    Table(Table),
    /// A chart (HTML only; its data is also in a table).
    Chart(LineChart),
    /// A paragraph.
    Note(String),
}

/// A report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Report {
    /// Title.
    pub title: String,
    /// Lines under the title.
    pub subtitle: Vec<String>,
    /// Content.
    pub blocks: Vec<Block>,
}

impl Report {
    /// The tables, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }
}

fn money(r: Rupiah) -> Cell {
    Cell::Money(r)
}
fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}
fn opt_ratio(d: Option<Decimal>) -> Cell {
    Cell::Number(d)
}

/// The feasibility report of an assessment.
pub fn assessment_report(a: &Assessment) -> Report {
    let mut blocks = Vec::new();
    let mut s = Table::new("Ringkasan kelayakan", &["Ukuran", "Nilai"]);
    let yes_no = if a.feasible { "LAYAK" } else { "TIDAK LAYAK" };
    s.rows.push(vec![text("Kesimpulan"), text(yes_no)]);
    s.rows.push(vec![
        text("Skema pembiayaan"),
        Cell::Text(a.rules.name.clone()),
    ]);
    s.rows.push(vec![
        text("Angsuran reguler"),
        a.installment.map_or_else(|| text("–"), money),
    ]);
    if let Some(c) = a.capitalised_principal {
        s.rows.push(vec![
            text("Pokok setelah kapitalisasi bunga masa tenggang"),
            money(c),
        ]);
    }
    s.rows
        .push(vec![text("DSCR terendah"), opt_ratio(a.dscr_min)]);
    s.rows
        .push(vec![text("DSCR rata-rata"), opt_ratio(a.dscr_avg)]);
    s.rows.push(vec![
        text("DSCR minimum yang disyaratkan"),
        opt_ratio(Some(a.dscr_threshold)),
    ]);
    s.rows.push(vec![
        text("Kemampuan bayar (RPC) rata-rata per bulan"),
        a.rpc.map_or_else(|| text("–"), money),
    ]);
    s.rows.push(vec![
        text("Masa pengembalian (bulan)"),
        a.payback_months
            .map_or_else(|| text("tidak tercapai"), |m| Cell::Count(u64::from(m))),
    ]);
    s.rows.push(vec![
        Cell::Text(format!(
            "NPV (diskonto {}% per tahun)",
            ratio_id(a.discount_rate_percent_per_year)
        )),
        money(a.npv),
    ]);
    s.rows
        .push(vec![text("IRR (% per tahun)"), opt_ratio(a.irr)]);
    s.rows.push(vec![text("Kas awal"), money(a.opening.cash)]);
    blocks.push(Block::Table(s));

    let mut f = Table::new("Temuan", &["Aturan", "Tingkat", "Keterangan"]);
    for x in &a.findings {
        f.rows.push(vec![
            Cell::Text(x.rule.clone()),
            text(x.severity.label()),
            Cell::Text(x.message.clone()),
        ]);
    }
    blocks.push(Block::Table(f));

    let labels: Vec<String> = a.months.iter().map(|m| m.month.to_string()).collect();
    blocks.push(Block::Chart(LineChart {
        title: "Saldo kas akhir bulan".to_owned(),
        labels: labels.clone(),
        series: vec![(
            "Kas".to_owned(),
            a.months
                .iter()
                .map(|m| Some(m.cash_balance.to_decimal()))
                .collect(),
        )],
        reference: Some(("Rp0".to_owned(), Decimal::ZERO)),
        money: true,
    }));
    if a.months.iter().any(|m| m.dscr.is_some()) {
        blocks.push(Block::Chart(LineChart {
            title: "DSCR per bulan".to_owned(),
            labels,
            series: vec![("DSCR".to_owned(), a.months.iter().map(|m| m.dscr).collect())],
            reference: Some((
                format!("batas {}", ratio_id(a.dscr_threshold)),
                a.dscr_threshold,
            )),
            money: false,
        }));
    }

    let mut u = Table::new(
        "Unit usaha",
        &[
            "Unit",
            "Belanja modal",
            "Pendapatan (rencana)",
            "EBITDA (rencana)",
            "Pendapatan rata-rata/bulan",
            "Titik impas/bulan",
        ],
    );
    for x in &a.units {
        u.rows.push(vec![
            Cell::Text(x.name.clone()),
            money(x.capex),
            money(x.revenue),
            money(x.ebitda),
            money(x.average_monthly_revenue),
            x.break_even_monthly_revenue
                .map_or_else(|| text("–"), money),
        ]);
    }
    blocks.push(Block::Table(u));

    let mut m = Table::new(
        "Proyeksi bulanan (PHU dan arus kas)",
        &[
            "Bulan",
            "Periode",
            "Pendapatan",
            "HPP",
            "Beban operasional",
            "Penyusutan",
            "Bunga",
            "SHU",
            "Kas operasi",
            "Angsuran",
            "Kas akhir",
            "DSCR",
        ],
    );
    for x in &a.months {
        m.rows.push(vec![
            Cell::Count(u64::from(x.month)),
            Cell::Text(x.period.format("%m/%Y").to_string()),
            money(x.revenue),
            money(x.cogs),
            money(x.opex),
            money(x.depreciation),
            money(x.interest),
            money(x.net_income),
            money(x.operating_cash),
            money(x.debt_service),
            money(x.cash_balance),
            opt_ratio(x.dscr),
        ]);
    }
    blocks.push(Block::Table(m));

    let mut b = Table::new(
        "Neraca akhir tahun rencana",
        &[
            "Bulan",
            "Kas",
            "Piutang",
            "Persediaan",
            "Aset tetap",
            "Utang usaha",
            "Pinjaman",
            "Modal dan simpanan",
            "SHU ditahan",
            "Jumlah aset",
            "Jumlah kewajiban dan ekuitas",
        ],
    );
    for x in a.months.iter().filter(|x| {
        x.month.is_multiple_of(12) || usize::try_from(x.month).ok() == Some(a.months.len())
    }) {
        b.rows.push(vec![
            Cell::Count(u64::from(x.month)),
            money(x.cash_balance),
            money(x.receivables),
            money(x.inventory),
            money(x.fixed_assets),
            money(x.payables),
            money(x.loan_balance),
            money(x.paid_in_capital),
            money(x.retained_earnings),
            money(x.total_assets),
            money(x.total_liabilities_and_equity),
        ]);
    }
    blocks.push(Block::Table(b));

    let mut t = Table::new(
        "Analisis sensitivitas",
        &[
            "Skenario",
            "DSCR terendah",
            "NPV",
            "IRR (%/tahun)",
            "Bulan kas negatif",
            "Layak",
        ],
    );
    for x in &a.sensitivity {
        t.rows.push(vec![
            Cell::Text(x.scenario.name.clone()),
            opt_ratio(x.dscr_min),
            money(x.npv),
            opt_ratio(x.irr),
            Cell::Count(u64::try_from(x.negative_cash_months.len()).unwrap_or(u64::MAX)),
            text(if x.feasible { "ya" } else { "tidak" }),
        ]);
    }
    blocks.push(Block::Table(t));
    let mut subtitle = vec![format!(
        "{} bulan mulai {}",
        a.months.len(),
        a.months
            .first()
            .map_or_else(String::new, |m| m.period.format("%m/%Y").to_string())
    )];
    subtitle.push(format!("Dasar skema: {}", a.rules.basis));
    Report {
        title: format!("Studi kelayakan usaha dan pembiayaan — {}", a.name),
        subtitle,
        blocks,
    }
}

/// The report of a mapping: the ranking, then each unit's score parts.
pub fn mapping_report(m: &Mapping) -> Report {
    let mut r = Table::new(
        "Peringkat unit usaha",
        &[
            "Peringkat",
            "Unit",
            "Skor",
            "Perkiraan permintaan/bulan",
            "Dasar perkiraan",
        ],
    );
    let mut parts = Table::new(
        "Rincian skor",
        &[
            "Unit",
            "Indikator",
            "Masukan",
            "Nilai (0–100)",
            "Bobot",
            "Kontribusi",
        ],
    );
    for u in &m.ranking {
        r.rows.push(vec![
            Cell::Count(u64::from(u.rank)),
            Cell::Text(u.label.clone()),
            Cell::Number(Some(u.score)),
            money(u.demand.monthly_revenue),
            Cell::Text(u.demand.formula.clone()),
        ]);
        for p in &u.parts {
            parts.rows.push(vec![
                Cell::Text(u.label.clone()),
                Cell::Text(p.indicator.clone()),
                Cell::Text(p.inputs.clone()),
                Cell::Number(Some(p.value)),
                Cell::Number(Some(p.weight)),
                Cell::Number(Some(p.contribution)),
            ]);
        }
    }
    Report {
        title: format!("Pemetaan potensi usaha — {}", m.name),
        subtitle: vec![format!("Profil bobot: {}", m.weights)],
        blocks: vec![Block::Table(r), Block::Table(parts)],
    }
}

/// The report of an RAPB.
pub fn rapb_report(r: &Rapb, name: &str) -> Report {
    let mut t = Table::new("RAPB", &["Kelompok", "Uraian", "Anggaran"]);
    for l in &r.lines {
        t.rows.push(vec![
            Cell::Text(l.section.clone()),
            Cell::Text(l.label.clone()),
            money(l.amount),
        ]);
    }
    t.rows
        .push(vec![text("Jumlah"), text("Pendapatan"), money(r.revenue)]);
    t.rows
        .push(vec![text("Jumlah"), text("Beban"), money(r.expenses)]);
    t.rows.push(vec![
        text("Jumlah"),
        text("SHU sebelum pajak"),
        money(r.shu),
    ]);
    Report {
        title: format!(
            "Rencana Anggaran Pendapatan dan Belanja {} — {name}",
            r.year
        ),
        subtitle: vec![format!(
            "Tahun buku {} s.d. {} ({} bulan rencana)",
            r.start, r.end, r.plan_months
        )],
        blocks: vec![Block::Table(t)],
    }
}

/// The report of a plan-versus-actual comparison.
pub fn variance_report(v: &Variance, name: &str) -> Report {
    let mut f = Table::new("Temuan pendampingan", &["Aturan", "Tingkat", "Keterangan"]);
    for x in &v.findings {
        f.rows.push(vec![
            Cell::Text(x.rule.clone()),
            text(x.severity.label()),
            Cell::Text(x.message.clone()),
        ]);
    }
    let mut t = Table::new(
        "Rencana dan realisasi",
        &[
            "Periode",
            "Unit",
            "Pos",
            "Rencana",
            "Realisasi",
            "Selisih",
            "Selisih %",
        ],
    );
    for l in &v.lines {
        t.rows.push(vec![
            Cell::Text(
                l.period
                    .map_or_else(|| "kumulatif".to_owned(), |d| d.format("%m/%Y").to_string()),
            ),
            Cell::Text(l.unit.clone()),
            Cell::Text(l.line.clone()),
            money(l.plan),
            money(l.actual),
            money(l.variance),
            opt_ratio(l.variance_percent),
        ]);
    }
    Report {
        title: format!("Rencana dibanding realisasi — {name}"),
        subtitle: vec![format!(
            "Per {} ({} bulan dibandingkan)",
            v.as_of, v.months_compared
        )],
        blocks: vec![Block::Table(f), Block::Table(t)],
    }
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Markdown (charts are left out; their data is in the tables).
pub fn markdown(r: &Report) -> String {
    let mut out = format!("# {}\n\n", r.title);
    for s in &r.subtitle {
        let _ = writeln!(out, "{s}  ");
    }
    out.push('\n');
    for b in &r.blocks {
        match b {
            Block::Table(t) => {
                let _ = writeln!(out, "## {}\n", t.title);
                let _ = writeln!(
                    out,
                    "| {} |",
                    t.columns
                        .iter()
                        .map(|c| md_escape(c))
                        .collect::<Vec<_>>()
                        .join(" | ")
                );
                let _ = writeln!(
                    out,
                    "|{}|",
                    t.columns
                        .iter()
                        .enumerate()
                        .map(|(i, _)| {
                            let numeric = t
                                .rows
                                .first()
                                .and_then(|r| r.get(i))
                                .is_some_and(Cell::is_numeric);
                            if numeric { "---:" } else { "---" }
                        })
                        .collect::<Vec<_>>()
                        .join("|")
                );
                for row in &t.rows {
                    let _ = writeln!(
                        out,
                        "| {} |",
                        row.iter()
                            .map(|c| md_escape(&c.display()))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    );
                }
                out.push('\n');
            }
            Block::Note(n) => {
                let _ = writeln!(out, "{n}\n");
            }
            Block::Chart(_) => {}
        }
    }
    out
}

/// HTML-escapes text.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn dmul(a: Decimal, b: Decimal) -> Decimal {
    a.checked_mul(b).unwrap_or(Decimal::ZERO)
}
fn ddiv(a: Decimal, b: Decimal) -> Decimal {
    if b.is_zero() {
        Decimal::ZERO
    } else {
        a.checked_div(b).unwrap_or(Decimal::ZERO)
    }
}
fn dsub(a: Decimal, b: Decimal) -> Decimal {
    a.checked_sub(b).unwrap_or(Decimal::ZERO)
}
fn dadd(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b).unwrap_or(Decimal::ZERO)
}
fn px(d: Decimal) -> String {
    crate::num::ratio_dp(d, 1).normalize().to_string()
}

fn axis_label(v: Decimal, money: bool) -> String {
    if money {
        // Millions of rupiah, one decimal: "Rp1.234,5 jt".
        let jt = crate::num::ratio_dp(ddiv(v, Decimal::from(1_000_000)), 1);
        format!("Rp{} jt", decimal_id(jt))
    } else {
        decimal_id(crate::num::ratio_dp(v, 2))
    }
}

/// An inline SVG line chart.
pub fn svg_line_chart(c: &LineChart) -> String {
    const W: i64 = 900;
    const H: i64 = 280;
    const LEFT: i64 = 110;
    const RIGHT: i64 = 20;
    const TOP: i64 = 30;
    const BOTTOM: i64 = 40;
    let plot_w = Decimal::from(W.saturating_sub(LEFT).saturating_sub(RIGHT));
    let plot_h = Decimal::from(H.saturating_sub(TOP).saturating_sub(BOTTOM));
    let values = c
        .series
        .iter()
        .flat_map(|(_, v)| v.iter().flatten().copied());
    let refv = c.reference.as_ref().map(|(_, v)| *v);
    let (mut lo, mut hi) = values
        .chain(refv)
        .fold((Decimal::ZERO, Decimal::ZERO), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if hi == lo {
        hi = dadd(lo, Decimal::ONE);
    }
    // A little headroom.
    let pad = ddiv(dsub(hi, lo), Decimal::from(20));
    hi = dadd(hi, pad);
    if lo < Decimal::ZERO {
        lo = dsub(lo, pad);
    }
    let n = c.labels.len().max(2);
    let step = ddiv(plot_w, Decimal::from(n.saturating_sub(1)));
    let x_of = |i: usize| dadd(Decimal::from(LEFT), dmul(step, Decimal::from(i)));
    let y_of = |v: Decimal| {
        dadd(
            Decimal::from(TOP),
            dmul(plot_h, ddiv(dsub(hi, v), dsub(hi, lo))),
        )
    };
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\">\n<title>{}</title>\n<text x=\"{LEFT}\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{}</text>\n",
        esc(&c.title),
        esc(&c.title)
    );
    // Axes and grid (5 ticks).
    for k in 0..=4_i64 {
        let v = dadd(
            lo,
            ddiv(dmul(dsub(hi, lo), Decimal::from(k)), Decimal::from(4)),
        );
        let y = px(y_of(v));
        let _ = writeln!(
            s,
            "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#e5e7eb\"/><text x=\"{}\" y=\"{y}\" font-size=\"11\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>",
            W.saturating_sub(RIGHT),
            LEFT.saturating_sub(6),
            esc(&axis_label(v, c.money))
        );
    }
    let every = (c.labels.len() / 12).max(1);
    for (i, l) in c.labels.iter().enumerate() {
        if i.checked_rem(every) == Some(0) || i.saturating_add(1) == c.labels.len() {
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
                px(x_of(i)),
                H.saturating_sub(BOTTOM).saturating_add(16),
                esc(l)
            );
        }
    }
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">bulan ke-</text>",
        dadd(Decimal::from(LEFT), ddiv(plot_w, Decimal::TWO)),
        H.saturating_sub(6)
    );
    if let Some((label, v)) = &c.reference {
        let y = px(y_of(*v));
        let _ = writeln!(
            s,
            "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#dc2626\" stroke-dasharray=\"6 4\"/><text x=\"{}\" y=\"{y}\" font-size=\"11\" fill=\"#dc2626\" text-anchor=\"end\" dy=\"-4\">{}</text>",
            W.saturating_sub(RIGHT),
            W.saturating_sub(RIGHT),
            esc(label)
        );
    }
    let colors = ["#2563eb", "#16a34a", "#9333ea", "#ea580c"];
    for (k, (name, vals)) in c.series.iter().enumerate() {
        let color = colors
            .get(k.checked_rem(colors.len()).unwrap_or(0))
            .copied()
            .unwrap_or("#111");
        let mut d = String::new();
        let mut pen_up = true;
        for (i, v) in vals.iter().enumerate() {
            match v {
                Some(v) => {
                    let _ = write!(
                        d,
                        "{}{},{} ",
                        if pen_up { "M" } else { "L" },
                        px(x_of(i)),
                        px(y_of(*v))
                    );
                    pen_up = false;
                }
                None => pen_up = true,
            }
        }
        let _ = writeln!(
            s,
            "<path d=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"><title>{}</title></path>",
            d.trim_end(),
            esc(name)
        );
        for (i, v) in vals.iter().enumerate() {
            if let Some(v) = v {
                let _ = writeln!(
                    s,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"2\" fill=\"{color}\"><title>{} {}: {}</title></circle>",
                    px(x_of(i)),
                    px(y_of(*v)),
                    esc(name),
                    esc(c.labels.get(i).map_or("", String::as_str)),
                    esc(&if c.money {
                        koperasi_core::RoundingPolicy::WHOLE_RUPIAH
                            .round_decimal(*v)
                            .map_or_else(|_| v.to_string(), |r| r.to_string())
                    } else {
                        decimal_id(*v)
                    })
                );
            }
        }
    }
    s.push_str("</svg>\n");
    s
}

/// One self-contained HTML page: inline CSS, tables, inline SVG charts; no script and no
/// external resource.
pub fn html(r: &Report) -> String {
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(out, "<title>{}</title>", esc(&r.title));
    out.push_str(
        "<style>\nbody{font-family:system-ui,sans-serif;margin:2em;color:#111;max-width:1200px}\ntable{border-collapse:collapse;margin:0 0 1.5em;font-size:13px}\nth,td{border:1px solid #ccc;padding:.25em .6em;vertical-align:top}\nth{background:#f3f4f6;text-align:left}\ntd.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\ncaption{font-weight:bold;text-align:left;padding:.3em 0;font-size:15px}\ntr.violation td{background:#fee2e2}\ntr.warning td{background:#fef9c3}\nfigure{margin:0 0 1.5em}\n</style>\n</head>\n<body>\n",
    );
    let _ = writeln!(out, "<h1>{}</h1>", esc(&r.title));
    for s in &r.subtitle {
        let _ = writeln!(out, "<p>{}</p>", esc(s));
    }
    for b in &r.blocks {
        match b {
            Block::Table(t) => {
                let _ = writeln!(out, "<table>\n<caption>{}</caption>", esc(&t.title));
                out.push_str("<thead><tr>");
                for c in &t.columns {
                    let _ = write!(out, "<th>{}</th>", esc(c));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in &t.rows {
                    let class = row.iter().find_map(|c| match c {
                        Cell::Text(s) if s == "pelanggaran" => Some(" class=\"violation\""),
                        Cell::Text(s) if s == "perhatian" => Some(" class=\"warning\""),
                        _ => None,
                    });
                    let _ = write!(out, "<tr{}>", class.unwrap_or(""));
                    for c in row {
                        let cls = if c.is_numeric() { " class=\"n\"" } else { "" };
                        let _ = write!(out, "<td{cls}>{}</td>", esc(&c.display()));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Chart(c) => {
                out.push_str("<figure>\n");
                out.push_str(&svg_line_chart(c));
                out.push_str("</figure>\n");
            }
            Block::Note(n) => {
                let _ = writeln!(out, "<p>{}</p>", esc(n));
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_decimals() {
        assert_eq!(decimal_id(Decimal::new(12_345_675, 1)), "1.234.567,5");
        assert_eq!(decimal_id(Decimal::new(-125, 2)), "-1,25");
        assert_eq!(decimal_id(Decimal::from(100)), "100");
    }
}
