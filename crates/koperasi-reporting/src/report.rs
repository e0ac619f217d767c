//! The renderer-neutral report model: a [`Document`] of titled [`Table`]s, [`Chart`]s and
//! notes. Every typed report (assessment, city view, statements) turns itself into a
//! `Document`; the renderers in [`render`](crate::render) turn a `Document` into text, CSV,
//! Markdown, HTML or XLSX.

use koperasi_core::Rupiah;
use rust_decimal::Decimal;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "snake_case", tag = "type", content = "value")
)]
#[non_exhaustive]
pub enum Cell {
    /// Text.
    Text(String),
    /// An amount of money (`Rp1.234.567` in text, `1234567.00` in CSV).
    Money(Rupiah),
    /// A plain number (a score, a nilai).
    Number(Decimal),
    /// A percentage; `None` when undefined (division by zero), shown as `–`.
    Percent(Option<Decimal>),
    /// A count.
    Count(u64),
    /// Nothing.
    Empty,
}

impl Cell {
    /// `true` for numbers, money, percentages and counts (right-aligned).
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Cell::Money(_) | Cell::Number(_) | Cell::Percent(_) | Cell::Count(_)
        )
    }

    /// The human (Indonesian) form: `Rp1.234.567`, `12,5 %`, `1.234`.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Money(r) => r.to_string(),
            Cell::Number(d) => decimal_id(*d),
            Cell::Percent(Some(d)) => format!("{} %", decimal_id(*d)),
            Cell::Percent(None) | Cell::Empty => "–".to_owned(),
            Cell::Count(n) => group_thousands(&n.to_string()),
        }
    }

    /// The machine form: `1234567.00`, `12.5`, `1234`; empty for `Empty` and undefined
    /// percentages.
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Money(r) => r.plain().to_string(),
            Cell::Number(d) | Cell::Percent(Some(d)) => d.normalize().to_string(),
            Cell::Percent(None) | Cell::Empty => String::new(),
            Cell::Count(n) => n.to_string(),
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<Rupiah> for Cell {
    fn from(r: Rupiah) -> Cell {
        Cell::Money(r)
    }
}

/// A decimal in Indonesian style: `1.234,5` (dot for thousands, comma for decimals).
pub fn decimal_id(d: Decimal) -> String {
    let s = d.normalize().to_string();
    let (sign, body) = s.strip_prefix('-').map_or(("", s.as_str()), |b| ("-", b));
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let mut out = format!("{sign}{}", group_thousands(int));
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

fn group_thousands(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n.saturating_add(n / 3));
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && n.saturating_sub(i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A column header.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Column {
    /// Machine key (CSV header, JSON key).
    pub key: String,
    /// Indonesian label.
    pub label: String,
}

impl Column {
    /// A column.
    pub fn new(key: &str, label: &str) -> Column {
        Column {
            key: key.to_owned(),
            label: label.to_owned(),
        }
    }
}

/// A titled table with an optional total row.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Table {
    /// Title.
    pub title: String,
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows (each as long as `columns`).
    pub rows: Vec<Vec<Cell>>,
    /// Total row, if any.
    pub total: Option<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns (`(key, label)` pairs).
    pub fn new(title: &str, columns: &[(&str, &str)]) -> Table {
        Table {
            title: title.to_owned(),
            columns: columns.iter().map(|(k, l)| Column::new(k, l)).collect(),
            rows: Vec::new(),
            total: None,
        }
    }

    /// Appends a row.
    pub fn push(&mut self, row: Vec<Cell>) -> &mut Self {
        self.rows.push(row);
        self
    }
}

/// A series of a bar chart.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Series {
    /// Legend label.
    pub name: String,
    /// One value per chart label.
    pub values: Vec<Decimal>,
}

/// A horizontal bar chart (grouped, or stacked to show a mix).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Chart {
    /// Title.
    pub title: String,
    /// One label per bar (group).
    pub labels: Vec<String>,
    /// The series.
    pub series: Vec<Series>,
    /// Stack the series (a mix) instead of grouping them side by side.
    pub stacked: bool,
    /// What the values are (how tooltips show them).
    #[cfg_attr(feature = "serde", serde(default))]
    pub unit: ChartUnit,
}

/// What a chart's values are: tooltips show rupiah as `Rp1.234.567,50`, other numbers in
/// Indonesian decimal form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ChartUnit {
    /// A plain number or count.
    #[default]
    Number,
    /// Rupiah amounts.
    Rupiah,
}

impl ChartUnit {
    /// A value as a tooltip shows it.
    pub fn display(self, v: Decimal) -> String {
        match self {
            ChartUnit::Rupiah => Rupiah::new(v).map_or_else(
                |_| format!("Rp{}", decimal_id(v)),
                |r| Cell::Money(r).display(),
            ),
            ChartUnit::Number => decimal_id(v),
        }
    }
}

/// A block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Block {
    /// A table.
    Table(Table),
    /// A chart (drawn in HTML; text renderers skip it, its data is in a table).
    Chart(Chart),
    /// A paragraph.
    Note(String),
}

/// A renderer-neutral report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Document {
    /// Title.
    pub title: String,
    /// Lines under the title (cooperative, period, profile…).
    pub subtitle: Vec<String>,
    /// Content.
    pub blocks: Vec<Block>,
}

impl Document {
    /// A document with a title.
    pub fn new(title: &str) -> Document {
        Document {
            title: title.to_owned(),
            ..Document::default()
        }
    }

    /// The tables, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn cell_forms() {
        assert_eq!(
            Cell::Money(Rupiah::from_sen(123_456_750)).display(),
            "Rp1.234.567,50"
        );
        assert_eq!(
            Cell::Money(Rupiah::from_sen(123_456_750)).plain(),
            "1234567.50"
        );
        assert_eq!(Cell::Percent(Some(dec!(12.50))).display(), "12,5 %");
        assert_eq!(Cell::Percent(Some(dec!(12.50))).plain(), "12.5");
        assert_eq!(Cell::Percent(None).display(), "–");
        assert_eq!(Cell::Count(1_234_567).display(), "1.234.567");
        assert_eq!(Cell::Number(dec!(-1234.25)).display(), "-1.234,25");
        assert_eq!(decimal_id(dec!(100)), "100");
    }
}
