//! From books to the city monitoring view of `koperasi-reporting`, the health assessment of
//! each book, and the report files of `koperasi demo`.
//!
//! [`snapshot`] reads one book into a [`CooperativeSnapshot`] — every figure from the ledger
//! or the subledgers, as of the fiscal year's last day; [`health_inputs`] derives every
//! Perdep 06/2016 input through the book's posting map, each with its trace;
//! [`CityReport::build`] assembles the city view, each cooperative's statements, health
//! assessment and audit tree head, and [`CityReport::files`] gives the files to write (the
//! library does no I/O).
//!
//! Layout: `accounts` (the book's accounts classified by role, class, kind and grouping),
//! `health` (the inputs and their traces), `books` (one book's snapshot), this module (the
//! city report and its files).

use std::fmt::Write as _;

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{FiscalYear, Rupiah};
use koperasi_reporting::city::{CityView, CooperativeSnapshot, ThresholdSchedule};
use koperasi_reporting::health::Assessment;
use koperasi_reporting::render;
use koperasi_reporting::statements::FinancialStatements;

use crate::book::Koperasi;
use crate::error::{Error, Result, reporting};

mod accounts;
mod books;
mod health;

pub use books::{snapshot, snapshot_with_health};
pub use health::{
    ManagementAnswers, Questionnaire, assess_health, assess_health_on, health_inputs,
    health_inputs_on,
};

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// A book the city office monitors: the book itself and what the book does not hold.
///
/// Implement it for whatever holds a loaded book (a stored book, a book read with
/// [`Koperasi::from_json_lines`]); only [`book`](MonitoredBook::book) is required. The
/// defaults: the code is the book's village code (*kode wilayah*), the name the book's name,
/// no label, and no management questionnaires (the cooperative is then reported as not
/// assessed for health).
///
/// ```
/// # use koperasi::Koperasi;
/// use koperasi::city::{ManagementAnswers, MonitoredBook};
///
/// struct StoredBook { book: Koperasi, answers: Option<ManagementAnswers> }
///
/// impl MonitoredBook for StoredBook {
///     fn book(&self) -> &Koperasi { &self.book }
///     fn management(&self) -> Option<&ManagementAnswers> { self.answers.as_ref() }
/// }
/// ```
pub trait MonitoredBook {
    /// The book.
    fn book(&self) -> &Koperasi;

    /// The code the city office knows it by (unique in the city). Default: the village code.
    fn code(&self) -> String {
        self.book().config().village.to_string()
    }

    /// The display name. Default: the book's name.
    fn name(&self) -> String {
        self.book().config().name.clone()
    }

    /// A free label shown in `audit.csv` (e.g. the profile of a simulated book).
    fn label(&self) -> String {
        String::new()
    }

    /// The management questionnaires of the health assessment, filled in by the pengawas or
    /// the Dinas; `None` if not (yet) filled in.
    fn management(&self) -> Option<&ManagementAnswers> {
        None
    }
}

impl MonitoredBook for Koperasi {
    fn book(&self) -> &Koperasi {
        self
    }
}

impl<T: MonitoredBook + ?Sized> MonitoredBook for &T {
    fn book(&self) -> &Koperasi {
        (**self).book()
    }
    fn code(&self) -> String {
        (**self).code()
    }
    fn name(&self) -> String {
        (**self).name()
    }
    fn label(&self) -> String {
        (**self).label()
    }
    fn management(&self) -> Option<&ManagementAnswers> {
        (**self).management()
    }
}

/// A book with its code, name, label and management answers given explicitly.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct CityEntry<'a> {
    /// Its code.
    pub code: &'a str,
    /// Its name.
    pub name: &'a str,
    /// A free label shown in `audit.csv` (the profile of a simulated book; may be empty).
    pub label: &'a str,
    /// The book.
    pub book: &'a Koperasi,
    /// The management questionnaires filled in by the pengawas or the Dinas.
    pub management: Option<&'a ManagementAnswers>,
}

impl<'a> CityEntry<'a> {
    /// The entry of `book`, known as `code` / `name`, with its management answers.
    pub fn new(
        code: &'a str,
        name: &'a str,
        book: &'a Koperasi,
        management: &'a ManagementAnswers,
    ) -> CityEntry<'a> {
        CityEntry {
            code,
            name,
            label: "",
            book,
            management: Some(management),
        }
    }

    /// With a label (e.g. the profile of a simulated book).
    #[must_use]
    pub fn with_label(mut self, label: &'a str) -> CityEntry<'a> {
        self.label = label;
        self
    }
}

impl MonitoredBook for CityEntry<'_> {
    fn book(&self) -> &Koperasi {
        self.book
    }
    fn code(&self) -> String {
        self.code.to_owned()
    }
    fn name(&self) -> String {
        self.name.to_owned()
    }
    fn label(&self) -> String {
        self.label.to_owned()
    }
    fn management(&self) -> Option<&ManagementAnswers> {
        self.management
    }
}

/// One cooperative's part of the city report.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CooperativeReport {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The entry's label ([`CityEntry::label`]; the profile of a simulated book).
    pub profile: String,
    /// The statements of the year ([`Koperasi::statements`]): neraca at the year's end,
    /// PHU, perubahan ekuitas, arus kas.
    pub statements: FinancialStatements,
    /// Entries posted.
    pub entries: usize,
    /// Audit log size and root (hex).
    pub audit_size: u64,
    /// Audit root, hex.
    pub audit_root: String,
    /// All control accounts reconcile.
    pub controls_reconcile: bool,
    /// The Perdep 06/2016 health assessment of the year ([`assess_health`]); `None` when
    /// the profile cannot score the book (see [`snapshot_with_health`]).
    pub health: Option<Assessment>,
}

/// The city monitoring view plus each cooperative's statements and audit tree head.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CityReport {
    /// The fiscal year (of the first book).
    pub year: FiscalYear,
    /// The date of the report.
    pub as_of: NaiveDate,
    /// Built from simulated books ([`CityReport::simulated`]).
    pub simulated: bool,
    /// The view (totals, flags, ranking).
    pub view: CityView,
    /// Per cooperative, in city order.
    pub cooperatives: Vec<CooperativeReport>,
}

/// One book's part of the city report: its fiscal year, snapshot and report.
type BookPart = (FiscalYear, CooperativeSnapshot, CooperativeReport);

/// Reads one book for the city report: the statements of the year to the figures' date and
/// the snapshot as of it, each computed once, serve the city snapshot, the health assessment
/// and the files.
fn read_book<B: MonitoredBook>(
    c: &B,
    year: i32,
    as_of: NaiveDate,
    t: &koperasi_reporting::city::Thresholds,
) -> Result<BookPart> {
    let book = c.book();
    let fy = FiscalYear::new(year, book.config().fiscal_start_month)?;
    let fig = books::figures_date(fy, as_of);
    let statements = book.statements(books::figures_period(fy, as_of)?, None)?;
    let snap = book.snapshot(fig)?;
    let f = health::Figures {
        book,
        year: fy,
        snap: &snap,
        phu: &statements.income_statement,
        reported_on: as_of,
    };
    let health = match c.management() {
        Some(m) if fig == fy.end() => health::assess_figures(&f, m)?,
        _ => None,
    };
    let (code, name) = (c.code(), c.name());
    let mut s = books::snapshot_with(&f, &code, &name, t)?;
    s.health = health.as_ref().map(books::health_status);
    let head = book.audit_head();
    let report = CooperativeReport {
        code,
        name,
        profile: c.label(),
        statements,
        entries: book.ledger().len(),
        audit_size: head.size,
        audit_root: head.root.to_string(),
        controls_reconcile: book
            .reconcile()?
            .iter()
            .all(crate::ControlCheck::reconciles),
        health,
    };
    Ok((fy, s, report))
}

impl CityReport {
    /// Builds the report of fiscal `year` (named by the calendar year it starts in, each
    /// book's fiscal start month) on `as_of`, from any books: every figure is as of the
    /// year's end (or `as_of` while the year runs) — operations dated later change nothing —
    /// and the RAT is checked on `as_of`. The thresholds are those in force on `as_of`.
    ///
    /// The books are read one after the other on the caller's thread, each once; a server
    /// with idle cores may read them in parallel with [`CityReport::build_with_threads`]
    /// (the same result).
    ///
    /// # Errors
    /// The first failed query (in city order); [`Error::Internal`] if the city view rejects a
    /// snapshot (e.g. two books with the same code).
    pub fn build<B: MonitoredBook + Sync>(
        city: &str,
        books: &[B],
        year: i32,
        as_of: NaiveDate,
        thresholds: &ThresholdSchedule,
    ) -> Result<CityReport> {
        CityReport::build_with_threads(city, books, year, as_of, thresholds, 1)
    }

    /// [`CityReport::build`] on at most `threads` threads (1: on the caller's thread). The
    /// books are split into contiguous parts, one per thread, and the results kept in city
    /// order; a thread the system cannot start is replaced by the caller's. Worth it only
    /// with idle cores: on a saturated machine the threads only contend (see
    /// `docs/performance.md`).
    ///
    /// # Errors
    /// As [`CityReport::build`].
    pub fn build_with_threads<B: MonitoredBook + Sync>(
        city: &str,
        books: &[B],
        year: i32,
        as_of: NaiveDate,
        thresholds: &ThresholdSchedule,
        threads: usize,
    ) -> Result<CityReport> {
        let t = thresholds.on(as_of);
        let one = |c: &B| read_book(c, year, as_of, &t);
        let n = threads.clamp(1, books.len().max(1));
        let parts: Vec<Result<BookPart>> = if n == 1 {
            books.iter().map(one).collect()
        } else {
            let size = books.len().div_ceil(n);
            std::thread::scope(|s| {
                let one = &one;
                let running: Vec<_> = books
                    .chunks(size)
                    .map(|part| {
                        let work = move || part.iter().map(one).collect::<Vec<_>>();
                        (
                            part,
                            std::thread::Builder::new()
                                .name("city-report".into())
                                .spawn_scoped(s, work),
                        )
                    })
                    .collect();
                running
                    .into_iter()
                    .flat_map(|(part, handle)| match handle {
                        Ok(h) => h.join().unwrap_or_else(|_| {
                            vec![Err(Error::Internal {
                                op: "city report",
                                what: "a reading thread stopped".into(),
                            })]
                        }),
                        Err(_) => part.iter().map(one).collect(),
                    })
                    .collect()
            })
        };
        let mut snapshots = Vec::with_capacity(books.len());
        let mut reports = Vec::with_capacity(books.len());
        let mut first_year = None;
        for p in parts {
            let (fy, s, r) = p?;
            first_year.get_or_insert(fy);
            snapshots.push(s);
            reports.push(r);
        }
        let view = CityView::build(city, snapshots, &t).map_err(reporting("city"))?;
        Ok(CityReport {
            year: first_year.map_or_else(|| FiscalYear::calendar(year), Ok)?,
            as_of,
            simulated: false,
            view,
            cooperatives: reports,
        })
    }

    /// Marks the report as built from simulated books: every file then says SIMULASI (title,
    /// footer, a `"simulated": true` field in JSON).
    #[must_use]
    pub fn simulated(mut self) -> CityReport {
        self.simulated = true;
        self
    }

    /// The report files: `(relative path, contents)` — `index.html` (dashboard),
    /// `kota.json`, `kota.md`, one CSV per table `kota_<table>.csv` (names in
    /// [`CSV_TABLES`](koperasi_reporting::city::CSV_TABLES)), `audit.csv` (each
    /// cooperative's tree head), and per cooperative
    /// `koperasi/<code>/{neraca,phu,arus_kas,kesehatan}.{txt,html}` and `audit.txt`. CSV
    /// headers are English `snake_case` in every file. A simulated report says SIMULASI in
    /// every file (title and last line, a `simulated` column or field).
    ///
    /// # Errors
    /// [`Error::Internal`] if a renderer fails.
    pub fn files(&self) -> Result<Vec<(String, String)>> {
        let mut view = self.view.clone();
        if self.simulated {
            view.mark_simulated();
        }
        let doc = view.document();
        let mut out = vec![
            ("index.html".to_owned(), render::html(&doc)),
            ("kota.md".to_owned(), render::markdown(&doc)),
        ];
        for (name, csv) in view.csv_files().map_err(reporting("csv"))? {
            out.push((format!("kota_{name}.csv"), csv));
        }
        #[cfg(feature = "serde")]
        out.push((
            "kota.json".to_owned(),
            render::json(&view).map_err(reporting("json"))?,
        ));
        let label = |mut d: koperasi_reporting::report::Document| {
            if self.simulated {
                let note = koperasi_reporting::report::Block::Note(
                    koperasi_reporting::city::SIMULATED_NOTICE.to_owned(),
                );
                d.title = format!("SIMULASI — {}", d.title);
                d.blocks.insert(0, note.clone());
                d.blocks.push(note);
            }
            d
        };
        let mut audit =
            String::from("code,name,profile,entries,audit_log_size,audit_root,controls_reconcile");
        audit.push_str(if self.simulated { ",simulated\n" } else { "\n" });
        for c in &self.cooperatives {
            let dir = format!("koperasi/{}", c.code);
            for (name, d) in [
                ("neraca", c.statements.balance_sheet.document(&c.name)),
                ("phu", c.statements.income_statement.document(&c.name)),
                ("arus_kas", c.statements.cash_flow.document(&c.name)),
            ]
            .into_iter()
            .chain(c.health.as_ref().map(|h| ("kesehatan", h.document())))
            {
                let d = label(d);
                out.push((format!("{dir}/{name}.txt"), render::text(&d)));
                out.push((format!("{dir}/{name}.html"), render::html(&d)));
            }
            let notice = if self.simulated {
                format!("{}\n", koperasi_reporting::city::SIMULATED_NOTICE)
            } else {
                String::new()
            };
            out.push((
                format!("{dir}/audit.txt"),
                format!(
                    "{notice}{}\nukuran log audit: {}\nakar (SHA-256, RFC 6962): {}\nentri jurnal: {}\n{notice}",
                    c.name, c.audit_size, c.audit_root, c.entries
                ),
            ));
            let _ = write!(
                audit,
                "{},{},{},{},{},{},{}",
                csv_field(&c.code),
                csv_field(&c.name),
                csv_field(&c.profile),
                c.entries,
                c.audit_size,
                c.audit_root,
                c.controls_reconcile
            );
            audit.push_str(if self.simulated { ",true\n" } else { "\n" });
        }
        out.push(("audit.csv".to_owned(), audit));
        Ok(out)
    }

    /// A short summary in Indonesian.
    pub fn summary(&self) -> String {
        let t = &self.view.totals;
        let m = &self.view.total_metrics;
        let pct = |p: Option<koperasi_core::Decimal>| {
            p.map_or_else(
                || "–".to_owned(),
                |d| format!("{} %", koperasi_reporting::report::decimal_id(d)),
            )
        };
        let shu = Rupiah::try_sum(
            self.cooperatives
                .iter()
                .map(|c| c.statements.income_statement.shu.current),
        )
        .unwrap_or(Rupiah::ZERO);
        let reconciled = self
            .cooperatives
            .iter()
            .filter(|c| c.controls_reconcile)
            .count();
        let entries: usize = self.cooperatives.iter().map(|c| c.entries).sum();
        let health = koperasi_reporting::health::Predikat::ALL
            .iter()
            .map(|p| {
                let n = self
                    .cooperatives
                    .iter()
                    .filter(|c| c.health.as_ref().is_some_and(|h| h.predikat == *p))
                    .count();
                format!("{}: {n}", p.label())
            })
            .chain(core::iter::once(format!(
                "tidak dinilai: {}",
                self.cooperatives
                    .iter()
                    .filter(|c| c.health.is_none())
                    .count()
            )))
            .collect::<Vec<_>>()
            .join("  ·  ");
        let simulated = if self.simulated {
            format!("{}\n", koperasi_reporting::city::SIMULATED_NOTICE)
        } else {
            String::new()
        };
        format!(
            "{simulated}Pemantauan {} — tahun buku {}\n\
             Koperasi: {}  ·  anggota: {}  ·  calon anggota: {}\n\
             Simpanan anggota: {}  ·  pinjaman beredar: {} (NPL {})\n\
             SHU tahun berjalan (jumlah): {}\n\
             Kesehatan (Perdep 06/2016): {}\n\
             Jurnal: {} entri  ·  akun kontrol cocok: {}/{}  ·  peringatan: {}",
            self.view.city,
            self.year,
            t.cooperatives,
            t.anggota,
            t.calon_anggota,
            m.savings_total,
            m.loans_outstanding,
            pct(m.npl_pct),
            shu,
            health,
            entries,
            reconciled,
            self.cooperatives.len(),
            self.view.flags.len(),
        )
    }
}
