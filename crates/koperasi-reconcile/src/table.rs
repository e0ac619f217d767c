//! Rows of cells from CSV or XLSX, and reading typed values out of them.

use chrono::{NaiveDate, NaiveTime};

use crate::amount::NumberFormat;
use crate::error::{Error, FieldErrorKind, Result};

/// A cell as the file holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    not(feature = "xlsx"),
    allow(dead_code, reason = "numbers and dates come from XLSX only")
)]
pub(crate) enum Cell {
    /// Text (every CSV cell; text cells of XLSX).
    Text(String),
    /// An XLSX number, written in plain form (`1500000.5`).
    Number(String),
    /// An XLSX date cell.
    Date(NaiveDate, Option<NaiveTime>),
}

impl Cell {
    pub(crate) fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Text(s) | Cell::Number(s) => std::borrow::Cow::Borrowed(s.as_str()),
            Cell::Date(d, None) => std::borrow::Cow::Owned(d.to_string()),
            Cell::Date(d, Some(t)) => std::borrow::Cow::Owned(format!("{d} {t}")),
        }
    }
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Cell::Text(s) | Cell::Number(s) => s.trim().is_empty(),
            Cell::Date(..) => false,
        }
    }
}

/// One row with its 1-based line (CSV) or row (XLSX) number.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) line: u32,
    pub(crate) cells: Vec<Cell>,
}

impl Row {
    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }
}

/// Reads CSV bytes into rows (the separator given, quotes `"`, rows may differ in length).
pub(crate) fn csv_rows(file: &str, bytes: &[u8], separator: char) -> Result<Vec<Row>> {
    let sep = u8::try_from(u32::from(separator))
        .ok()
        .filter(u8::is_ascii)
        .ok_or_else(|| Error::Mapping {
            mapping: file.to_owned(),
            message: format!("separator {separator:?} is not a single ASCII character"),
        })?;
    // a UTF-8 byte order mark is common in exports from Excel
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map_or(0, csv::Position::line);
                rows.push(Row {
                    line: u32::try_from(line).unwrap_or(u32::MAX),
                    cells: rec.iter().map(|c| Cell::Text(c.to_owned())).collect(),
                });
            }
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                return Err(Error::Csv {
                    file: file.to_owned(),
                    line: u32::try_from(line).unwrap_or(u32::MAX),
                    message: e.to_string(),
                });
            }
        }
    }
    Ok(rows)
}

/// Reads the first sheet (or the named one) of an XLSX workbook into rows.
#[cfg(feature = "xlsx")]
pub(crate) fn xlsx_rows(file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Vec<Row>> {
    use calamine::{Data, Reader, Xlsx};
    let err = |message: String| Error::Xlsx {
        file: file.to_owned(),
        message,
    };
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| err(e.to_string()))?;
    let range = match sheet {
        Some(name) => wb.worksheet_range(name),
        None => match wb.worksheet_range_at(0) {
            Some(r) => r,
            None => return Err(err("the workbook has no sheet".to_owned())),
        },
    }
    .map_err(|e| err(e.to_string()))?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let mut cells: Vec<Cell> = (0..col0).map(|_| Cell::Text(String::new())).collect();
        for c in r {
            cells.push(match c {
                Data::Empty => Cell::Text(String::new()),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                    Cell::Text(s.clone())
                }
                Data::Int(v) => Cell::Number(v.to_string()),
                // the shortest text that reads back as the same float: the decimal the
                // workbook stores for amounts of up to 15 significant digits
                Data::Float(v) => Cell::Number(format!("{v}")),
                Data::Bool(b) => Cell::Text(b.to_string()),
                Data::DateTime(dt) => excel_date(dt.as_f64()).map_or_else(
                    || Cell::Number(format!("{}", dt.as_f64())),
                    |(d, t)| Cell::Date(d, t),
                ),
                Data::Error(e) => Cell::Text(format!("#{e:?}")),
            });
        }
        let line = u32::try_from(i)
            .unwrap_or(u32::MAX)
            .saturating_add(row0)
            .saturating_add(1);
        rows.push(Row { line, cells });
    }
    Ok(rows)
}

/// An Excel serial date (days since 1899-12-30, the fraction is the time of day).
#[cfg(feature = "xlsx")]
fn excel_date(serial: f64) -> Option<(NaiveDate, Option<NaiveTime>)> {
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return None;
    }
    #[expect(
        clippy::cast_possible_truncation,
        reason = "range checked above; whole days and seconds of a day"
    )]
    #[expect(clippy::cast_sign_loss, reason = "range checked above")]
    let (days, secs) = {
        let days = serial.floor();
        let secs = ((serial - days) * 86_400.0 + 0.5).floor() as u32;
        (days as i64, secs.min(86_399))
    };
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let d = base.checked_add_signed(chrono::TimeDelta::try_days(days)?)?;
    let t = (secs > 0)
        .then(|| NaiveTime::from_num_seconds_from_midnight_opt(secs, 0))
        .flatten();
    Some((d, t))
}

/// Formats of a tabular file.
#[derive(Debug, Clone)]
pub(crate) struct Formats<'a> {
    pub(crate) file: &'a str,
    pub(crate) date_format: &'a str,
    pub(crate) time_format: Option<&'a str>,
    pub(crate) number: NumberFormat,
}

impl Formats<'_> {
    pub(crate) fn field_err(
        &self,
        row: &Row,
        column: &str,
        kind: FieldErrorKind,
        cell: Option<&Cell>,
    ) -> Error {
        Error::Field {
            file: self.file.to_owned(),
            line: row.line,
            column: column.to_owned(),
            kind,
            value: cell.map(|c| c.text().into_owned()).unwrap_or_default(),
        }
    }

    pub(crate) fn cell<'r>(&self, row: &'r Row, idx: usize, column: &str) -> Result<&'r Cell> {
        row.cells
            .get(idx)
            .ok_or_else(|| self.field_err(row, column, FieldErrorKind::MissingColumn, None))
    }

    /// A date (and the time if the cell carries one after the date).
    pub(crate) fn date(
        &self,
        row: &Row,
        idx: usize,
        column: &str,
    ) -> Result<(NaiveDate, Option<NaiveTime>)> {
        let c = self.cell(row, idx, column)?;
        match c {
            Cell::Date(d, t) => Ok((*d, *t)),
            Cell::Text(s) | Cell::Number(s) => {
                let s = s.trim();
                if s.is_empty() {
                    return Err(self.field_err(row, column, FieldErrorKind::Empty, Some(c)));
                }
                let (d, rest) = NaiveDate::parse_and_remainder(s, self.date_format)
                    .map_err(|_| self.field_err(row, column, FieldErrorKind::BadDate, Some(c)))?;
                let rest = rest.trim();
                if rest.is_empty() {
                    return Ok((d, None));
                }
                let t = ["%H:%M:%S", "%H:%M", "%H.%M.%S", "%H.%M"]
                    .iter()
                    .find_map(|f| NaiveTime::parse_from_str(rest, f).ok())
                    .ok_or_else(|| self.field_err(row, column, FieldErrorKind::BadDate, Some(c)))?;
                Ok((d, Some(t)))
            }
        }
    }

    /// A time of day (`time_format`, else `HH:MM:SS`, `HH:MM` or `HHMMSS` digits).
    pub(crate) fn time(&self, row: &Row, idx: usize, column: &str) -> Result<Option<NaiveTime>> {
        let c = self.cell(row, idx, column)?;
        if let Cell::Date(_, t) = c {
            return Ok(*t);
        }
        let text = c.text();
        let s = text.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let formats: &[&str] = match self.time_format {
            Some(f) => &[f][..],
            None => &["%H:%M:%S", "%H:%M", "%H%M%S"][..],
        };
        formats
            .iter()
            .find_map(|f| NaiveTime::parse_from_str(s, f).ok())
            .map(Some)
            .ok_or_else(|| self.field_err(row, column, FieldErrorKind::BadTime, Some(c)))
    }

    /// An amount in sen (`None` for an empty cell).
    pub(crate) fn amount(&self, row: &Row, idx: usize, column: &str) -> Result<Option<i64>> {
        let c = self.cell(row, idx, column)?;
        let (fmt, s) = match c {
            Cell::Number(s) => (NumberFormat::PLAIN, s.as_str()),
            Cell::Text(s) => (self.number, s.as_str()),
            Cell::Date(..) => {
                return Err(self.field_err(row, column, FieldErrorKind::BadAmount, Some(c)));
            }
        };
        fmt.parse_sen(s)
            .map_err(|k| self.field_err(row, column, k, Some(c)))
    }

    /// The cell's trimmed text.
    pub(crate) fn text(&self, row: &Row, idx: usize, column: &str) -> Result<String> {
        Ok(self.cell(row, idx, column)?.text().trim().to_owned())
    }
}

/// A column: its 1-based number or its header name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum Column {
    /// 1-based column number.
    Index(usize),
    /// The header text (compared trimmed and case-insensitively).
    Name(String),
}

impl core::fmt::Display for Column {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Column::Index(i) => write!(f, "#{i}"),
            Column::Name(n) => f.write_str(n),
        }
    }
}

impl From<&str> for Column {
    fn from(s: &str) -> Column {
        Column::Name(s.to_owned())
    }
}

impl From<usize> for Column {
    fn from(i: usize) -> Column {
        Column::Index(i)
    }
}

/// Resolves a column to a 0-based index.
pub(crate) fn resolve(mapping: &str, col: &Column, header: Option<&Row>) -> Result<usize> {
    match col {
        Column::Index(i) => i.checked_sub(1).ok_or_else(|| Error::Mapping {
            mapping: mapping.to_owned(),
            message: "column numbers start at 1".to_owned(),
        }),
        Column::Name(n) => {
            let Some(h) = header else {
                return Err(Error::Mapping {
                    mapping: mapping.to_owned(),
                    message: format!("column {n:?} is named but the mapping has no header row"),
                });
            };
            let want = n.trim().to_lowercase();
            h.cells
                .iter()
                .position(|c| c.text().trim().to_lowercase() == want)
                .ok_or_else(|| Error::Mapping {
                    mapping: mapping.to_owned(),
                    message: format!("no column {n:?} in the header at line {}", h.line),
                })
        }
    }
}
