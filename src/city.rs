//! From simulated (or real) books to the city monitoring view of `koperasi-reporting`, and
//! the report files of `koperasi demo`.
//!
//! [`snapshot`] reads one book into a
//! [`CooperativeSnapshot`] — every figure from
//! the ledger or the subledgers, as of the fiscal year's last day; [`CityReport::build`]
//! assembles the city view, each cooperative's statements and audit tree head, and
//! [`CityReport::files`] gives the files to write (the library does no I/O).

use std::fmt::Write as _;

use koperasi_core::{FiscalYear, Rupiah};
use koperasi_membership::MemberStatus;
use koperasi_reporting::city::{
    AllocationLine, CityView, CooperativeSnapshot, HimbaraStatus, Thresholds,
};
use koperasi_reporting::render;
use koperasi_savings_loans::{Collectibility, LoanStatus, SavingsKind};

use crate::book::Koperasi;
use crate::error::{Error, Result, ledger, sl};
use crate::posting::PostingRole as R;
use crate::sim::SimulatedCoop;
use crate::statements::{BalanceSheet, CashFlow, IncomeStatement};

fn reporting(op: &'static str) -> impl Fn(koperasi_reporting::Error) -> Error {
    move |e| Error::Internal {
        op,
        what: format!("reporting: {e}"),
    }
}

fn add(a: Rupiah, b: Rupiah) -> Result<Rupiah> {
    Ok(a.checked_add(b)?)
}

/// The monitoring snapshot of one book for fiscal year `year`, as of the year's last day.
///
/// # Errors
/// [`Error::Ledger`], [`Error::SavingsLoans`] or [`Error::Core`] on a failed query.
pub fn snapshot(
    book: &Koperasi,
    code: &str,
    name: &str,
    year: FiscalYear,
) -> Result<CooperativeSnapshot> {
    snapshot_with(book, code, name, year, None)
}

fn snapshot_with(
    book: &Koperasi,
    code: &str,
    name: &str,
    year: FiscalYear,
    phu: Option<&IncomeStatement>,
) -> Result<CooperativeSnapshot> {
    let as_of = year.end();
    // One pass over the ledger for every balance at the year's end.
    let balances = book.ledger().balances(as_of).map_err(ledger("snapshot"))?;
    let chart = book.ledger().chart();
    let bal = |role: R| -> Result<Rupiah> {
        let code = book.code(role);
        let side = chart.get(&code).map_or(
            koperasi_ledger::Side::Debit,
            koperasi_ledger::Account::normal_side,
        );
        Ok(balances
            .iter()
            .find(|(c, _)| c.as_str() == code)
            .map_or(Rupiah::ZERO, |(_, b)| b.on_side(side)))
    };
    let mut s = CooperativeSnapshot {
        code: code.to_owned(),
        name: name.to_owned(),
        as_of,
        ..CooperativeSnapshot::default()
    };
    let counts = book.registry().counts_on(as_of);
    s.anggota = u64::try_from(counts.get(MemberStatus::Member)).unwrap_or(u64::MAX);
    s.calon_anggota = u64::try_from(counts.get(MemberStatus::Candidate)).unwrap_or(u64::MAX);
    s.savings.pokok = bal(R::MemberSavings(SavingsKind::Principal))?;
    s.savings.wajib = bal(R::MemberSavings(SavingsKind::Mandatory))?;
    s.savings.sukarela = bal(R::MemberSavings(SavingsKind::Voluntary))?;
    s.savings.berjangka = bal(R::MemberSavings(SavingsKind::TimeDeposit))?;
    for l in book.loans().values() {
        if l.loan.status() != LoanStatus::Active {
            continue;
        }
        let out = l.loan.outstanding_principal().map_err(sl("snapshot"))?;
        let slot = match l.class {
            Collectibility::Current => &mut s.loans.lancar,
            Collectibility::Substandard => &mut s.loans.kurang_lancar,
            Collectibility::Doubtful => &mut s.loans.diragukan,
            Collectibility::Loss => &mut s.loans.macet,
        };
        *slot = add(*slot, out)?;
    }
    s.loan_reserve = bal(R::LoanLossReserve)?;
    s.kas_bank = add(bal(R::Cash)?, bal(R::Bank)?)?;
    s.kewajiban_lancar = Rupiah::try_sum(
        balances
            .iter()
            .filter(|(c, _)| c.as_str().starts_with("2-1-"))
            .map(|(_, b)| b.on_side(koperasi_ledger::Side::Credit)),
    )?;
    let owned;
    let phu = if let Some(p) = phu {
        p
    } else {
        owned = book.income_statement(year.period()?)?;
        &owned
    };
    s.sales_member = phu.member_revenue;
    s.sales_non_member = phu.non_member_revenue;
    if let Some(c) = book.closed_years().get(&year.year()) {
        s.shu = c.shu;
        for (label, amount) in &c.allocation {
            let mut a = AllocationLine::default();
            a.label.clone_from(label);
            a.amount = *amount;
            if label.contains("desa") {
                s.shu_desa = add(s.shu_desa, *amount)?;
            }
            s.shu_allocation.push(a);
        }
        s.rat_held = c.distributed_on;
    }
    s.rat_deadline = koperasi_core::clamped_date(year.year().saturating_add(1), 3, 31).ok();
    if let Some(h) = book.himbara() {
        let mut st = HimbaraStatus {
            outstanding: h.outstanding_principal().map_err(sl("snapshot"))?,
            ..HimbaraStatus::default()
        };
        for i in h.installments().iter().filter(|i| i.due_date <= as_of) {
            let due = Rupiah::try_sum([i.due.principal, i.due.interest, i.due.fee, i.due.penalty])?;
            let paid = Rupiah::try_sum([
                i.paid.principal,
                i.paid.interest,
                i.paid.fee,
                i.paid.penalty,
            ])?;
            st.due = add(st.due, due)?;
            st.paid = add(st.paid, paid)?;
        }
        let late = h.arrears(as_of).map_err(sl("snapshot"))?;
        st.late = Rupiah::try_sum([late.principal, late.interest, late.fee, late.penalty])?;
        st.days_late = h.days_past_due(as_of);
        s.himbara = st;
    }
    Ok(s)
}

/// One cooperative's part of the city report.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CooperativeReport {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Profile label (simulated books).
    pub profile: String,
    /// Balance sheet at the year's end.
    pub balance_sheet: BalanceSheet,
    /// PHU of the year.
    pub income: IncomeStatement,
    /// Cash flow of the year.
    pub cash_flow: CashFlow,
    /// Entries posted.
    pub entries: usize,
    /// Audit log size and root (hex).
    pub audit_size: u64,
    /// Audit root, hex.
    pub audit_root: String,
    /// All control accounts reconcile.
    pub controls_reconcile: bool,
}

/// The city monitoring view plus each cooperative's statements and audit tree head.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CityReport {
    /// The fiscal year.
    pub year: FiscalYear,
    /// The view (totals, flags, ranking).
    pub view: CityView,
    /// Per cooperative, in city order.
    pub cooperatives: Vec<CooperativeReport>,
}

impl CityReport {
    /// Builds the report of simulated cooperatives for fiscal `year`.
    ///
    /// # Errors
    /// The first failed query; [`Error::Internal`] if the city view rejects a snapshot.
    pub fn build(city: &str, coops: &[SimulatedCoop], year: i32) -> Result<CityReport> {
        let fy = FiscalYear::calendar(year)?;
        let mut snapshots = Vec::with_capacity(coops.len());
        let mut reports = Vec::with_capacity(coops.len());
        for c in coops {
            let period = fy.period()?;
            let income = c.book.income_statement(period)?;
            snapshots.push(snapshot_with(&c.book, &c.code, &c.name, fy, Some(&income))?);
            let head = c.book.audit_head();
            reports.push(CooperativeReport {
                code: c.code.clone(),
                name: c.name.clone(),
                profile: c.profile.label().to_owned(),
                balance_sheet: c.book.balance_sheet(fy.end())?,
                income,
                cash_flow: c.book.cash_flow(period)?,
                entries: c.book.ledger().len(),
                audit_size: head.size,
                audit_root: head.root.to_string(),
                controls_reconcile: c
                    .book
                    .reconcile()?
                    .iter()
                    .all(crate::ControlCheck::reconciles),
            });
        }
        let view =
            CityView::build(city, snapshots, &Thresholds::default()).map_err(reporting("city"))?;
        Ok(CityReport {
            year: fy,
            view,
            cooperatives: reports,
        })
    }

    /// The report files: `(relative path, contents)` — `index.html` (dashboard),
    /// `kota.json`, `kota.csv`, `kota.md`, `audit.csv` (each cooperative's tree head), and per
    /// cooperative `koperasi/<code>/{neraca,phu,arus_kas}.{txt,html}` and `audit.txt`.
    ///
    /// # Errors
    /// [`Error::Internal`] if a renderer fails.
    pub fn files(&self) -> Result<Vec<(String, String)>> {
        let doc = self.view.document();
        let mut out = vec![
            ("index.html".to_owned(), render::html(&doc)),
            ("kota.md".to_owned(), render::markdown(&doc)),
            (
                "kota.csv".to_owned(),
                render::csv(&doc).map_err(reporting("csv"))?,
            ),
        ];
        #[cfg(feature = "serde")]
        out.push((
            "kota.json".to_owned(),
            render::json(&self.view).map_err(reporting("json"))?,
        ));
        let mut audit =
            String::from("kode,nama,profil,entri,ukuran_log,akar_audit,kontrol_cocok\n");
        for c in &self.cooperatives {
            let dir = format!("koperasi/{}", c.code);
            for (name, d) in [
                ("neraca", c.balance_sheet.document(&c.name)),
                ("phu", c.income.document(&c.name)),
                ("arus_kas", c.cash_flow.document(&c.name)),
            ] {
                out.push((format!("{dir}/{name}.txt"), render::text(&d)));
                out.push((format!("{dir}/{name}.html"), render::html(&d)));
            }
            out.push((
                format!("{dir}/audit.txt"),
                format!(
                    "{}\nukuran log audit: {}\nakar (SHA-256, RFC 6962): {}\nentri jurnal: {}\n",
                    c.name, c.audit_size, c.audit_root, c.entries
                ),
            ));
            let _ = writeln!(
                audit,
                "{},{},{},{},{},{},{}",
                c.code,
                c.name,
                c.profile,
                c.entries,
                c.audit_size,
                c.audit_root,
                if c.controls_reconcile { "ya" } else { "tidak" }
            );
        }
        out.push(("audit.csv".to_owned(), audit));
        Ok(out)
    }

    /// A short summary in Indonesian.
    pub fn summary(&self) -> String {
        let t = &self.view.totals;
        let m = &self.view.total_metrics;
        let pct = |p: Option<koperasi_core::Decimal>| {
            p.map_or_else(|| "–".to_owned(), |d| format!("{} %", d.normalize()))
        };
        let shu = Rupiah::try_sum(self.cooperatives.iter().map(|c| c.income.result))
            .unwrap_or(Rupiah::ZERO);
        let reconciled = self
            .cooperatives
            .iter()
            .filter(|c| c.controls_reconcile)
            .count();
        let entries: usize = self.cooperatives.iter().map(|c| c.entries).sum();
        format!(
            "Pemantauan {} — tahun buku {}\n\
             Koperasi: {}  ·  anggota: {}  ·  calon anggota: {}\n\
             Simpanan anggota: {}  ·  pinjaman beredar: {} (NPL {})\n\
             SHU tahun berjalan (jumlah): {}\n\
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
            entries,
            reconciled,
            self.cooperatives.len(),
            self.view.flags.len(),
        )
    }
}
