//! What the pages and the JSON API show, computed from the books: the city triage, a
//! cooperative's figures and monthly trends, an account's entries, an entry with its proof.

use std::sync::Arc;

use koperasi::Koperasi;
use koperasi::core::chrono::{Datelike, NaiveDate};
use koperasi::core::{Decimal, EntryId, FiscalYear, MemberId, Period, Rupiah};
use koperasi::ledger::audit::Hash;
use koperasi::ledger::{BusinessUnit, Side};
use koperasi::reporting::city::{CityView, CooperativeSnapshot, FlagKind, ThresholdSchedule};
use koperasi::savings_loans::SavingsKind;
use koperasi::{PostingRole, city};
use serde::Serialize;

use crate::error::ApiError;
use crate::state::{Access, AppState, Coop, User, lock};

/// Days without any operation after which a cooperative is flagged (amber; red at 3×).
pub const IDLE_DAYS: i64 = 30;

/// One cooperative's figures for a fiscal year as of a date, with what they were computed
/// from (the book's event count), so that a page reuses them until the book changes.
#[derive(Debug)]
pub struct CoopFigures {
    /// The book's event count when computed.
    pub events: usize,
    /// The fiscal year.
    pub year: i32,
    /// The report date asked for.
    pub as_of: NaiveDate,
    /// The monitoring snapshot as of the date (health assessed when the year is over).
    pub snapshot: CooperativeSnapshot,
    /// The statements of the year up to the figures' date.
    pub statements: koperasi::reporting::statements::FinancialStatements,
    /// The date of the book's latest operation.
    pub last_date: NaiveDate,
    /// The date of the latest operation on or before `as_of`.
    pub last_activity: NaiveDate,
}

/// Views cached per cooperative (the latest few; each is recomputed when the book changed).
#[derive(Debug, Default)]
pub(crate) struct CoopCache {
    figures: Vec<Arc<CoopFigures>>,
    trends: Option<(usize, Arc<Vec<Series>>)>,
    health: Option<(
        usize,
        i32,
        Arc<Option<koperasi::reporting::health::Assessment>>,
    )>,
}

impl CoopCache {
    /// Number of views held.
    pub(crate) fn len(&self) -> usize {
        self.figures.len() + usize::from(self.trends.is_some()) + usize::from(self.health.is_some())
    }
}

/// The most views a cooperative's cache holds.
pub const VIEWS_KEPT: usize = FIGURES_KEPT + 2;

/// How many (year, date) figure sets a cooperative keeps.
const FIGURES_KEPT: usize = 4;

/// The figures of `coop` for fiscal `year` as of `as_of`, from the as-of functions of the
/// books ([`koperasi::city::CityReport::build`]): every figure as of the year's end, or
/// `as_of` while the year runs — operations dated later change nothing. Cached per
/// cooperative until its book changes.
///
/// # Errors
/// 400 on a bad year; the book's error if a query fails; 500 if a lock is poisoned.
pub fn coop_figures(
    coop: &Coop,
    year: i32,
    as_of: NaiveDate,
) -> Result<Arc<CoopFigures>, ApiError> {
    let events = read(coop)?.events().len();
    if let Some(f) = lock(&coop.cache)?
        .figures
        .iter()
        .find(|f| f.events == events && f.year == year && f.as_of == as_of)
    {
        return Ok(f.clone());
    }
    let b = read(coop)?;
    let mut entry = city::CityEntry::new(&coop.code, &coop.name, &b, &coop.management);
    entry.management = answered(coop);
    let mut report = city::CityReport::build(
        &coop.name,
        &[entry],
        year,
        as_of,
        &ThresholdSchedule::default(),
    )
    .map_err(|e| book_err(&e))?;
    let row = report
        .view
        .cooperatives
        .pop()
        .ok_or_else(|| ApiError::internal("city report without the cooperative"))?;
    let statements = report
        .cooperatives
        .pop()
        .ok_or_else(|| ApiError::internal("city report without the cooperative"))?
        .statements;
    let f = Arc::new(CoopFigures {
        events: b.events().len(),
        year,
        as_of,
        snapshot: row.snapshot,
        statements,
        last_date: b.last_date(),
        last_activity: {
            let ev = b.events();
            let n = ev.partition_point(|e| e.date <= as_of);
            n.checked_sub(1)
                .and_then(|i| ev.get(i))
                .map_or(b.ledger().opening_date(), |e| e.date)
        },
    });
    drop(b);
    let mut cache = lock(&coop.cache)?;
    cache.figures.retain(|x| x.events == f.events);
    if cache.figures.len() >= FIGURES_KEPT {
        cache.figures.remove(0);
    }
    cache.figures.push(f.clone());
    Ok(f)
}

/// The monthly trends of `coop` ([`trends`]), cached until its book changes.
///
/// # Errors
/// As [`trends`].
pub fn coop_trends(coop: &Coop) -> Result<Arc<Vec<Series>>, ApiError> {
    let b = read(coop)?;
    let events = b.events().len();
    if let Some((n, t)) = &lock(&coop.cache)?.trends
        && *n == events
    {
        return Ok(t.clone());
    }
    let t = Arc::new(trends(&b)?);
    drop(b);
    lock(&coop.cache)?.trends = Some((events, t.clone()));
    Ok(t)
}

/// The health assessment of `coop` for the closed fiscal `year` (None if it cannot be
/// scored), cached while the events dated up to the year's end stay the same — a book
/// applies events in date order, so once later operations exist nothing can be added to a
/// closed year and the assessment is computed once.
///
/// # Errors
/// 500 if a lock is poisoned.
pub fn coop_health(
    coop: &Coop,
    year: FiscalYear,
) -> Result<Arc<Option<koperasi::reporting::health::Assessment>>, ApiError> {
    let b = read(coop)?;
    let upto = b.events().partition_point(|e| e.date <= year.end());
    if let Some((n, y, h)) = &lock(&coop.cache)?.health
        && *n == upto
        && *y == year.year()
    {
        return Ok(h.clone());
    }
    let h = Arc::new(answered(coop).and_then(|m| city::assess_health(&b, year, m).ok()));
    drop(b);
    lock(&coop.cache)?.health = Some((upto, year.year(), h.clone()));
    Ok(h)
}

/// How bad something is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Nothing to act on.
    Ok,
    /// Watch.
    Warning,
    /// Act now.
    Critical,
}

impl Severity {
    /// Indonesian label.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Ok => "baik",
            Severity::Warning => "perhatian",
            Severity::Critical => "kritis",
        }
    }
    /// CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Severity::Ok => "sev-ok",
            Severity::Warning => "sev-warn",
            Severity::Critical => "sev-crit",
        }
    }
}

fn flag_severity(k: FlagKind) -> Severity {
    match k {
        FlagKind::NplHigh
        | FlagKind::LiquidityLow
        | FlagKind::HimbaraLate
        | FlagKind::DanaDesaInterceptRisk
        | FlagKind::DanaDesaIntercepted
        | FlagKind::RatLate
        | FlagKind::HealthBelowThreshold
        | FlagKind::ShuNegative => Severity::Critical,
        _ => Severity::Warning,
    }
}

/// One reason a cooperative needs attention.
#[derive(Debug, Clone, Serialize)]
pub struct Attention {
    /// Stable kind (`npl_high`, `idle`…).
    pub kind: String,
    /// Indonesian label.
    pub label: String,
    /// Observed value and threshold.
    pub detail: String,
    /// How bad.
    pub severity: Severity,
}

/// One cooperative in the triage list.
#[derive(Debug, Clone, Serialize)]
pub struct TriageRow {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// The worst severity of its reasons.
    pub severity: Severity,
    /// Attention score: 3 per critical reason, 1 per warning (sorted descending).
    pub attention: u32,
    /// The reasons.
    pub reasons: Vec<Attention>,
    /// Health score and predikat.
    pub health_score: Option<Decimal>,
    /// Predikat label.
    pub predikat: Option<String>,
    /// NPL %.
    pub npl_pct: Option<Decimal>,
    /// Cash ratio %.
    pub rasio_kas_pct: Option<Decimal>,
    /// RAT on time (None: not due yet).
    pub rat_on_time: Option<bool>,
    /// Late Himbara installments.
    pub himbara_late: Rupiah,
    /// Sales (member + non-member) of the year.
    pub sales: Rupiah,
    /// Savings.
    pub savings: Rupiah,
    /// Loans outstanding.
    pub loans: Rupiah,
    /// Members.
    pub anggota: u64,
    /// Date of the last operation.
    pub last_activity: NaiveDate,
    /// Days from the last operation to the city's latest date.
    pub idle_days: i64,
}

/// The city monitoring view for one caller.
#[derive(Debug, Clone, Serialize)]
pub struct CityData {
    /// The fiscal year shown.
    pub year: i32,
    /// Figures are as of this date (the year's end, or the latest operation if earlier).
    pub as_of: NaiveDate,
    /// The monitoring view of `koperasi-reporting` (totals, metrics, flags).
    pub view: CityView,
    /// Cooperatives, those needing attention first.
    pub triage: Vec<TriageRow>,
}

/// The fiscal year shown by default: the latest year closed by any of the cooperatives
/// `idx` (a complete year, assessed), else the year of the latest operation.
///
/// # Errors
/// 500 if a book lock is poisoned.
pub fn default_year(state: &AppState, idx: &[usize], latest: NaiveDate) -> Result<i32, ApiError> {
    let mut y: Option<i32> = None;
    for &i in idx {
        if let Some(c) = state.coops().get(i) {
            let closed = read(c)?.closed_years().keys().max().copied();
            y = y.max(closed);
        }
    }
    Ok(y.unwrap_or(latest.year()))
}

/// The cooperative's management questionnaires, if they were answered: a cooperative
/// registered on the server has none yet (every questionnaire of zero questions), and is
/// then shown without a health assessment rather than with a made-up one.
fn answered(coop: &Coop) -> Option<&koperasi::city::ManagementAnswers> {
    (coop.management != koperasi::city::ManagementAnswers::default()).then_some(&coop.management)
}

/// The latest operation date over the cooperatives `idx`.
///
/// # Errors
/// 500 if a book lock is poisoned.
///
/// Without any cooperative (a store that serves none yet) it is today (UTC).
pub fn latest_date(state: &AppState, idx: &[usize]) -> Result<NaiveDate, ApiError> {
    let mut d: Option<NaiveDate> = None;
    let coops = state.coops();
    for &i in idx {
        if let Some(c) = coops.get(i) {
            d = d.max(Some(read(c)?.last_date()));
        }
    }
    Ok(d.unwrap_or_else(|| chrono::Utc::now().date_naive()))
}

pub(crate) fn read(c: &Coop) -> Result<std::sync::RwLockReadGuard<'_, Koperasi>, ApiError> {
    c.book
        .read()
        .map_err(|_| ApiError::internal("book lock poisoned"))
}

fn book_err(e: &koperasi::Error) -> ApiError {
    crate::error::from_book(e)
}

/// The city view for `user`: every cooperative for the city office, their own for others.
///
/// # Errors
/// 400 on a bad year; 500 if a book cannot be read.
pub fn city_data(
    state: &AppState,
    user: &User,
    as_of: Option<NaiveDate>,
) -> Result<CityData, ApiError> {
    let visible = state.visible(user);
    let (year, report_date) = report_year_date(state, &visible, as_of)?;
    city_data_of(state, &visible, year, report_date)
}

/// The fiscal year and report date of a view of the cooperatives `idx` asked `as_of`: the
/// date's year and the date, or by default the latest closed year reported on the city's
/// latest operation date.
///
/// # Errors
/// 500 if a book lock is poisoned.
pub fn report_year_date(
    state: &AppState,
    idx: &[usize],
    as_of: Option<NaiveDate>,
) -> Result<(i32, NaiveDate), ApiError> {
    let latest = latest_date(state, &(0..state.coops().len()).collect::<Vec<_>>())?;
    Ok(match as_of {
        Some(d) => (d.year(), d),
        None => (default_year(state, idx, latest)?, latest),
    })
}

/// The city view of the cooperatives `visible` for fiscal `year` reported on `report_date`.
///
/// # Errors
/// 400 on a bad year; 500 if a book cannot be read.
pub fn city_data_of(
    state: &AppState,
    visible: &[usize],
    year: i32,
    report_date: NaiveDate,
) -> Result<CityData, ApiError> {
    let latest = latest_date(state, &(0..state.coops().len()).collect::<Vec<_>>())?;
    let mut snaps = Vec::new();
    let mut last = Vec::new();
    for &i in visible {
        if let Some(c) = state.coops().get(i) {
            let f = coop_figures(c, year, report_date)?;
            snaps.push(f.snapshot.clone());
            last.push(f.last_activity);
        }
    }
    let thresholds = ThresholdSchedule::default().on(report_date);
    let view = CityView::build(&state.config().city, snaps, &thresholds)
        .map_err(|e| ApiError::internal(format!("city view: {e}")))?;
    let mut triage = Vec::with_capacity(view.cooperatives.len());
    for (row, last_activity) in view.cooperatives.iter().zip(last) {
        let s = &row.snapshot;
        let mut reasons: Vec<Attention> = view
            .flags
            .iter()
            .filter(|f| f.cooperative == s.code)
            .map(|f| Attention {
                kind: serde_json::to_value(f.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                label: f.kind.label().to_owned(),
                detail: f.detail.clone(),
                severity: flag_severity(f.kind),
            })
            .collect();
        let idle_days = (report_date.min(latest) - last_activity).num_days();
        if idle_days >= IDLE_DAYS {
            reasons.push(Attention {
                kind: "idle".to_owned(),
                label: "Tidak ada transaksi".to_owned(),
                detail: format!("{idle_days} hari tanpa transaksi (batas {IDLE_DAYS} hari)"),
                severity: if idle_days >= 3 * IDLE_DAYS {
                    Severity::Critical
                } else {
                    Severity::Warning
                },
            });
        }
        let severity = reasons
            .iter()
            .map(|r| r.severity)
            .max()
            .unwrap_or(Severity::Ok);
        let attention = reasons
            .iter()
            .map(|r| match r.severity {
                Severity::Critical => 3,
                Severity::Warning => 1,
                Severity::Ok => 0,
            })
            .sum();
        triage.push(TriageRow {
            code: s.code.clone(),
            name: s.name.clone(),
            severity,
            attention,
            reasons,
            health_score: s.health.as_ref().map(|h| h.score),
            predikat: s.health.as_ref().map(|h| h.predikat.label().to_owned()),
            npl_pct: row.metrics.npl_pct,
            rasio_kas_pct: row.metrics.rasio_kas_pct,
            rat_on_time: s.rat_on_time(),
            himbara_late: s.himbara.late,
            sales: s
                .sales_member
                .checked_add(s.sales_non_member)
                .unwrap_or(Rupiah::ZERO),
            savings: row.metrics.savings_total,
            loans: row.metrics.loans_outstanding,
            anggota: s.anggota,
            last_activity,
            idle_days,
        });
    }
    triage.sort_by(|a, b| {
        b.attention
            .cmp(&a.attention)
            .then(b.severity.cmp(&a.severity))
            .then(
                a.health_score
                    .unwrap_or(Decimal::ZERO)
                    .cmp(&b.health_score.unwrap_or(Decimal::ZERO)),
            )
            .then(a.code.cmp(&b.code))
    });
    let as_of = FiscalYear::calendar(year).map_or(report_date, |fy| fy.end().min(report_date));
    Ok(CityData {
        year,
        as_of,
        view,
        triage,
    })
}

/// One point of a monthly series.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// The month's last day (or the latest date in the current month).
    pub date: NaiveDate,
    /// The value.
    pub value: Rupiah,
}

/// A named monthly series.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// Indonesian label.
    pub label: String,
    /// Points, oldest first.
    pub points: Vec<Point>,
}

fn role_balance_at(
    book: &Koperasi,
    roles: &[PostingRole],
    as_of: NaiveDate,
) -> Result<Rupiah, ApiError> {
    let mut t = Rupiah::ZERO;
    for r in roles {
        let code = book.code(*r);
        let b = book
            .ledger()
            .balance(&code, as_of)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        t = t
            .checked_add(b)
            .map_err(|e| ApiError::internal(e.to_string()))?;
    }
    Ok(t)
}

/// The 12 months ending with the book's last month: savings, loans, cash and bank, sales.
///
/// # Errors
/// 500 on a failed ledger query.
pub fn trends(book: &Koperasi) -> Result<Vec<Series>, ApiError> {
    let last = book.last_date();
    let mut months = Vec::new();
    for back in (0..12).rev() {
        let first = koperasi::core::add_months(
            NaiveDate::from_ymd_opt(last.year(), last.month(), 1).unwrap_or(last),
            -back,
        )
        .map_err(|e| ApiError::internal(e.to_string()))?;
        let p = Period::month(first.year(), first.month())
            .map_err(|e| ApiError::internal(e.to_string()))?;
        if p.start() < book.ledger().opening_date() {
            continue;
        }
        months.push(p);
    }
    let savings = [
        PostingRole::MemberSavings(SavingsKind::Principal),
        PostingRole::MemberSavings(SavingsKind::Mandatory),
        PostingRole::MemberSavings(SavingsKind::Voluntary),
        PostingRole::MemberSavings(SavingsKind::TimeDeposit),
    ];
    let mut s = Series {
        label: "Simpanan anggota".to_owned(),
        points: Vec::new(),
    };
    let mut l = Series {
        label: "Pinjaman beredar".to_owned(),
        points: Vec::new(),
    };
    let mut k = Series {
        label: "Kas dan bank".to_owned(),
        points: Vec::new(),
    };
    let mut sales = Series {
        label: "Pendapatan per bulan".to_owned(),
        points: Vec::new(),
    };
    let revenue_root = book
        .ledger()
        .chart()
        .accounts()
        .iter()
        .find(|a| a.parent.is_none() && a.code.as_str().starts_with('4'))
        .map(|a| a.code.as_str().to_owned());
    for p in months {
        let d = p.end().min(last);
        s.points.push(Point {
            date: d,
            value: role_balance_at(book, &savings, d)?,
        });
        l.points.push(Point {
            date: d,
            value: role_balance_at(book, &[PostingRole::LoanReceivable], d)?,
        });
        k.points.push(Point {
            date: d,
            value: role_balance_at(book, &[PostingRole::Cash, PostingRole::Bank], d)?,
        });
        if let Some(code) = &revenue_root {
            let t = book
                .ledger()
                .period_totals(code, p)
                .map_err(|e| ApiError::internal(e.to_string()))?;
            sales.points.push(Point {
                date: d,
                value: t.on_side(Side::Credit),
            });
        }
    }
    Ok(vec![s, l, k, sales])
}

/// A business unit's Indonesian name.
pub fn unit_name(u: Option<BusinessUnit>) -> String {
    match u {
        None => "Tanpa unit".to_owned(),
        Some(BusinessUnit::SimpanPinjam) => "Simpan pinjam".to_owned(),
        Some(BusinessUnit::Sembako) => "Sembako".to_owned(),
        Some(BusinessUnit::Klinik) => "Klinik".to_owned(),
        Some(BusinessUnit::Apotek) => "Apotek".to_owned(),
        Some(BusinessUnit::Pergudangan) => "Pergudangan".to_owned(),
        Some(BusinessUnit::Logistik) => "Logistik".to_owned(),
        Some(BusinessUnit::KantorKoperasi) => "Kantor koperasi".to_owned(),
        Some(other) => format!("Unit {}", other.number()),
    }
}

/// An entry's audit evidence: the leaf, the inclusion proof to the current tree head, and
/// whether the server verified it.
#[derive(Debug, Clone, Serialize)]
pub struct ProofView {
    /// Leaf index in the audit log.
    pub leaf_index: u64,
    /// The leaf's bytes (hex), as re-encoded from the stored entry.
    pub leaf_hex: String,
    /// `SHA-256(0x00 ‖ leaf)`, hex.
    pub leaf_hash: String,
    /// Sibling hashes, leaf to root, hex.
    pub path: Vec<String>,
    /// Tree size of the head proven against.
    pub tree_size: u64,
    /// Root of that head, hex.
    pub root: String,
    /// The server recomputed the root from the leaf and the path and it matched.
    pub verified: bool,
}

/// The inclusion proof of `entry` in the book's audit log at its current size.
///
/// # Errors
/// 404 if there is no such entry; 500 on a failed proof.
pub fn proof(book: &Koperasi, entry: EntryId) -> Result<ProofView, ApiError> {
    let ledger = book.ledger();
    let e = ledger
        .entry(entry)
        .ok_or_else(|| ApiError::not_found(format!("jurnal {entry} tidak ditemukan")))?;
    let leaf = e.leaf();
    let bytes = ledger
        .leaf_bytes(leaf)
        .ok_or_else(|| ApiError::internal("leaf bytes missing"))?;
    let p = ledger
        .inclusion_proof(entry)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let head = ledger.audit().tree_head();
    let leaf_hash = Hash::of_leaf(&bytes);
    let verified = p.tree_size == head.size && p.verify(&bytes, &head).is_ok();
    Ok(ProofView {
        leaf_index: leaf,
        leaf_hex: hex::encode(&bytes),
        leaf_hash: leaf_hash.to_string(),
        path: p.path.iter().map(ToString::to_string).collect(),
        tree_size: head.size,
        root: head.root.to_string(),
        verified,
    })
}

/// A member's display name for `user`: the name for people who may see personal data, a
/// masked form otherwise.
pub fn member_label(
    state: &AppState,
    user: &User,
    coop: &Coop,
    book: &Koperasi,
    m: MemberId,
) -> String {
    let personal = state
        .permissions(user, coop)
        .contains(koperasi::membership::Permission::ViewPersonalData)
        || matches!(&user.access, Access::Coop { member: Some(x), .. } if *x == m);
    match book.registry().get(m) {
        Some(mem) if personal => mem.name().to_owned(),
        Some(mem) => mask_name(mem.name()),
        None => "(tidak dikenal)".to_owned(),
    }
}

/// `Siti Rahayu` → `S*** R*****`.
pub fn mask_name(name: &str) -> String {
    name.split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            let first: String = c.next().map(String::from).unwrap_or_default();
            format!("{first}{}", "*".repeat(c.count()))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A percentage (already rounded by the reports to two places) with a comma as decimal
/// separator (`12,50 %`).
pub fn pct(p: Option<Decimal>) -> String {
    match p {
        Some(v) => format!("{} %", v.to_string().replace('.', ",")),
        None => "—".to_owned(),
    }
}
