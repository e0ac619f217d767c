//! The RAT package (*laporan pertanggungjawaban pengurus* for the *Rapat Anggota Tahunan*) of
//! a closed fiscal year, **from the book** ([`build`]).
//!
//! Every figure is read from the book as of the fiscal year's last day, never from its current
//! state, so a package for a past year is unchanged by anything dated after it
//! (`prop_rat_ignores_later_operations`):
//!
//! * **member statements** ([`MemberStatement`]): each savings kind with its opening balance,
//!   deposits, jasa simpanan, withdrawals and closing balance, from the lines of the savings
//!   control accounts carrying the member (the ledger's subledger convention); each loan with
//!   the principal, jasa and denda paid in the year (from its repayment entries), what was
//!   written off, and the principal outstanding at the start and end of the year (the as-of
//!   [snapshots](Koperasi::snapshot)); the member's jasa modal / jasa usaha of the year;
//! * the **loan portfolio** ([`LoanPortfolio`]) by collectibility with the PPAP, computed by
//!   `koperasi-savings-loans` alone (`classify` through the snapshot, `portfolio_by_class`,
//!   `required_reserve` with the book's rates) — checked against the snapshot's own;
//! * the **SHU report** ([`ShuReport`]): the closed year's SHU distributed by the book's policy
//!   with `koperasi-shu` from the jasa modal and jasa usaha bases the book kept at the close —
//!   the same computation the book posts at [`Operation::DistributeShu`](crate::Operation);
//!   once distributed, every member's booked share is checked against it;
//! * the **statements** (neraca, PHU, perubahan ekuitas, arus kas) with the prior year
//!   alongside ([`Koperasi::statements`]);
//! * the **health assessment** ([`crate::city::assess_health_on`], as of the year's last day) when the management
//!   questionnaires are given.
//!
//! Who reads it decides what it shows ([`Reader`]): the NIK is masked for anyone but the member
//! themself, names are optional, an officer gets every member's statement, a member only their
//! own, the public none (and no borrower names in the portfolio).
//!
//! Rendering is in `koperasi-reporting` ([`RatPackage::html`], [`RatPackage::csv_files`],
//! `RatPackage::xlsx` with its `xlsx` feature); `koperasi rat` writes them.
//!
//! ```
//! use koperasi::core::{ActorId, CooperativeId, MemberId, Rupiah};
//! use koperasi::core::chrono::NaiveDate;
//! use koperasi::membership::Role;
//! use koperasi::rat::{self, RatOptions, Reader};
//! use koperasi::savings_loans::SavingsKind;
//! use koperasi::{BookConfig, CapitalKind, Koperasi, Operation, Via};
//!
//! let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
//! let [ketua, bendahara, kasir] = [1, 2, 3].map(ActorId::from_u128);
//! let siti = MemberId::from_u128(7);
//! let config = BookConfig::kkmp(
//!     CooperativeId::from_u128(1), "KKMP Mangunharjo", "35.74.04.1002".parse()?, d(2026, 1, 1),
//!     vec![(ketua, Role::Chair), (bendahara, Role::Treasurer), (kasir, Role::Teller)],
//! );
//! let mut book = Koperasi::new(config)?;
//! book.run(d(2026, 1, 2), bendahara, Operation::Capital { kind: CapitalKind::Grant, amount: Rupiah::from_rupiah(5_000_000), via: Via::Bank })?;
//! book.run(d(2026, 1, 5), ketua, Operation::RegisterMember {
//!     member: siti, nik: "3574044506900001".into(), name: "Siti Rahayu".into(),
//!     birth_date: d(1990, 6, 5), domicile: None, gender: None, associate: false,
//! })?;
//! book.run(d(2026, 1, 5), kasir, Operation::PayPrincipalSavings { member: siti, via: Via::Cash })?;
//! book.run(d(2026, 3, 5), kasir, Operation::Deposit { member: siti, kind: SavingsKind::Mandatory, amount: Rupiah::from_rupiah(10_000), via: Via::Cash })?;
//!
//! // Not closed yet: a typed error.
//! assert!(rat::build(&book, 2026, &RatOptions::new(Reader::Officer)).is_err());
//! book.run(d(2026, 12, 31), bendahara, Operation::MonthEnd)?;
//! book.run(d(2026, 12, 31), ketua, Operation::CloseYear { year: 2026 })?;
//!
//! let package = rat::build(&book, 2026, &RatOptions::new(Reader::Officer))?;
//! let siti_statement = &package.members[0];
//! assert_eq!(siti_statement.member.nik, "3574**********01"); // masked for an officer
//! assert!(package.statements_sum_to_controls()?);
//! let html = package.html()?;
//! assert!(html.contains("Rp10.000") && !html.contains("<script"));
//!
//! // Siti reads her own statement with her NIK in full.
//! let mine = rat::build(&book, 2026, &RatOptions::new(Reader::Member(siti)))?;
//! assert_eq!(mine.members[0].member.nik, "3574044506900001");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{FiscalYear, LoanId, MemberId, Rupiah};
use koperasi_ledger::{BusinessUnit, EntryKind, Side};
use koperasi_membership::Member;
use koperasi_reporting::health::Precision;
use koperasi_savings_loans::{PortfolioLine, portfolio_by_class, required_reserve};
use koperasi_shu::{LineKind, MemberContribution, Pool, ShuOutcome, ShuYear};

use crate::book::Koperasi;
use crate::city::{ManagementAnswers, assess_health_on, snapshot_with_health};
use crate::error::{Error, Result, sl};
use crate::posting::PostingRole as R;
use crate::snapshot::BookSnapshot;

pub use koperasi_reporting::rat::{
    Controls, LoanLine, LoanPortfolio, MemberRef, MemberShu, MemberStatement, PortfolioLoan,
    RatPackage, SAVINGS_KINDS, SavingsLine, ShuAllocation, ShuPool, ShuReport, ShuShare,
};

const OP: &str = "rat";

/// Who the package is for: it decides which member statements it holds and whose NIK is
/// shown in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[doc(alias = "pembaca")]
pub enum Reader {
    /// One member: their own statement, their own NIK in full; every other NIK masked.
    Member(MemberId),
    /// Pengurus / pengawas: every member's statement and borrower; every NIK masked.
    Officer,
    /// The public: no member statement, no borrower in the portfolio; every NIK masked.
    Public,
}

/// How to build the package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RatOptions {
    /// Who reads it.
    pub reader: Reader,
    /// Show members' names (default: yes, except for [`Reader::Public`]).
    pub names: bool,
    /// The health assessment's management questionnaires (not in the books); without them
    /// the package carries no health assessment and says so.
    pub management: Option<ManagementAnswers>,
    /// The book is simulated: every rendering says SIMULASI.
    pub simulated: bool,
}

impl RatOptions {
    /// Options for a reader: names shown unless public, no health assessment, not simulated.
    pub fn new(reader: Reader) -> RatOptions {
        RatOptions {
            reader,
            names: !matches!(reader, Reader::Public),
            management: None,
            simulated: false,
        }
    }

    /// Show or hide members' names.
    #[must_use]
    pub fn with_names(mut self, names: bool) -> RatOptions {
        self.names = names;
        self
    }

    /// With the management questionnaires: the package then carries the health assessment.
    #[must_use]
    pub fn with_management(mut self, answers: ManagementAnswers) -> RatOptions {
        self.management = Some(answers);
        self
    }

    /// Marks the book as simulated (SIMULASI on every rendering).
    #[must_use]
    pub fn simulated(mut self, yes: bool) -> RatOptions {
        self.simulated = yes;
        self
    }
}

fn money(sen: i128) -> Result<Rupiah> {
    Ok(Rupiah::try_from_sen_i128(sen)?)
}

/// Net of a line: debit positive.
fn signed(side: Side, amount: Rupiah) -> i128 {
    match side {
        Side::Debit => amount.to_sen(),
        Side::Credit => amount.to_sen().saturating_neg(),
    }
}

/// Savings movements of one member and kind, in sen: opening, deposits, interest,
/// withdrawals.
#[derive(Debug, Clone, Copy, Default)]
struct SavingsSums([i128; 4]);

/// Loan movements of one loan in the year, in sen: disbursed, principal, interest, penalty,
/// written off.
#[derive(Debug, Clone, Copy, Default)]
struct LoanSums([i128; 5]);

fn bump(slot: &mut i128, by: i128) {
    *slot = slot.saturating_add(by);
}

/// Savings movements by (member, kind index) and loan movements by loan.
type Movements = (
    HashMap<(MemberId, usize), SavingsSums>,
    HashMap<LoanId, LoanSums>,
);

struct Codes {
    savings: [String; 4],
    receivable: String,
    revenue: String,
    interest_receivable: String,
    penalty: String,
}

/// One pass over the entries dated on or before the year end.
fn movements(book: &Koperasi, fy: FiscalYear) -> Result<Movements> {
    let codes = Codes {
        savings: SAVINGS_KINDS.map(|k| book.code(R::MemberSavings(k))),
        receivable: book.code(R::LoanReceivable),
        revenue: book.code(R::MemberRevenue(BusinessUnit::SimpanPinjam)),
        interest_receivable: book.code(R::InterestReceivable),
        penalty: book.code(R::PenaltyIncome),
    };
    let (start, end) = (fy.start(), fy.end());
    let mut savings: HashMap<(MemberId, usize), SavingsSums> = HashMap::new();
    let mut loans: HashMap<LoanId, LoanSums> = HashMap::new();
    for e in book.ledger().entries() {
        let date = e.date();
        if date > end {
            continue;
        }
        let in_year = date >= start;
        let source = e.source();
        let reversal = matches!(e.kind(), EntryKind::Reversal { .. });
        let interest = source.starts_with("month-end:") && source.ends_with("/savings-interest");
        for l in e.lines() {
            let Some(k) = codes.savings.iter().position(|c| c == l.account.as_str()) else {
                continue;
            };
            let Some(m) = l.dims.member else {
                return Err(Error::Internal {
                    op: OP,
                    what: format!(
                        "entry {} ({source}) posts to savings account {} without a member",
                        e.id(),
                        l.account
                    ),
                });
            };
            let s = &mut savings.entry((m, k)).or_default().0;
            let credit = signed(l.side, l.amount).saturating_neg();
            if !in_year {
                bump(&mut s[0], credit);
            } else if interest {
                bump(&mut s[2], credit);
            } else if reversal {
                // A correction nets against the column of what it reverses.
                match l.side {
                    Side::Debit => bump(&mut s[1], credit),
                    Side::Credit => bump(&mut s[3], credit.saturating_neg()),
                }
            } else {
                match l.side {
                    Side::Credit => bump(&mut s[1], credit),
                    Side::Debit => bump(&mut s[3], credit.saturating_neg()),
                }
            }
        }
        if !in_year {
            continue;
        }
        let Some((id, what)) = source
            .strip_prefix("loan:")
            .and_then(|rest| rest.split_once('/'))
        else {
            continue;
        };
        let Ok(id) = id.parse::<LoanId>() else {
            continue;
        };
        let net = |code: &str| -> i128 {
            e.lines()
                .filter(|l| l.account.as_str() == code)
                .map(|l| signed(l.side, l.amount))
                .fold(0, i128::saturating_add)
        };
        let slot = &mut loans.entry(id).or_default().0;
        if what.starts_with("disbursement") {
            bump(&mut slot[0], net(&codes.receivable));
        } else if what.starts_with("repayment") {
            bump(&mut slot[1], net(&codes.receivable).saturating_neg());
            bump(&mut slot[2], net(&codes.revenue).saturating_neg());
            // Penalties charged at the payment are debited to the receivable and credited to
            // penalty income in the same entry: the net credit of the two is what was paid.
            let pen = net(&codes.interest_receivable).saturating_add(net(&codes.penalty));
            bump(&mut slot[3], pen.saturating_neg());
        } else if what.starts_with("write-off") {
            bump(&mut slot[4], net(&codes.receivable).saturating_neg());
        }
    }
    Ok((savings, loans))
}

/// The members of the package by id, each with its register number (*nomor anggota*)
/// already formatted.
type Roll<'a> = BTreeMap<MemberId, Numbered<'a>>;

/// A member with its register number, zero-padded to the width of the largest number (at
/// least four digits) so that the numbers sort as text in register order.
struct Numbered<'a> {
    number: String,
    member: &'a Member,
}

fn member_ref(n: &Numbered<'_>, options: &RatOptions) -> MemberRef {
    let m = n.member;
    MemberRef {
        number: n.number.clone(),
        name: options.names.then(|| m.name().to_owned()),
        nik: if options.reader == Reader::Member(m.id()) {
            m.nik().as_str().to_owned()
        } else {
            m.nik().masked().to_string()
        },
    }
}

fn line_kind(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Reserve => "dana cadangan",
        LineKind::ManagementFund => "dana pengurus",
        LineKind::EmployeeFund => "dana karyawan",
        LineKind::EducationFund => "dana pendidikan",
        LineKind::SocialFund => "dana sosial",
        LineKind::RegionalDevelopmentFund => "dana pembangunan daerah kerja",
        LineKind::VillageShare => "bagian desa",
        LineKind::CapitalPool => "jasa modal",
        LineKind::PatronagePool => "jasa usaha",
        _ => "dana lain",
    }
}

/// The SHU distribution of the closed year, recomputed with `koperasi-shu` from the bases the
/// book kept at the close (the computation of the book's own distribution), and checked
/// against the booked shares once distributed.
fn shu_distribution(
    book: &Koperasi,
    year: i32,
) -> Result<Option<koperasi_shu::Distribution<MemberId>>> {
    let Some(c) = book.closed_years().get(&year) else {
        return Ok(None);
    };
    if !c.shu.is_positive() {
        return Ok(None);
    }
    let mut keys: BTreeSet<MemberId> = c.savings.keys().copied().collect();
    keys.extend(
        book.registry()
            .members()
            .map(Member::id)
            .filter(|m| book.transactions(year, *m).is_some()),
    );
    let mut contributions = Vec::with_capacity(keys.len());
    for m in keys {
        let savings = c.savings.get(&m).copied().unwrap_or_default();
        let tx = book.transactions(year, m).cloned().unwrap_or_default();
        let mut mc = MemberContribution::new(m, savings, tx);
        if c.departed.contains(&m) || !c.savings.contains_key(&m) {
            mc = mc.departed();
        }
        contributions.push(mc);
    }
    let sy = ShuYear::new(c.shu).with_non_member_part(c.from_non_members);
    let outcome = koperasi_shu::distribute(&book.config().shu_policy, &sy, &contributions)
        .map_err(crate::error::shu(OP))?;
    let ShuOutcome::Distributed(dist) = outcome else {
        return Err(Error::Internal {
            op: OP,
            what: format!("the positive SHU of {year} was not distributed"),
        });
    };
    // Once the book has distributed the year, every member's booked share must agree.
    let booked = book.ledger().entries_by_source(&format!("shu:{year}"));
    if !booked.is_empty() {
        let accounts = [
            book.code(R::MemberShuPayable),
            book.code(R::MemberSavings(
                koperasi_savings_loans::SavingsKind::Voluntary,
            )),
        ];
        let mut per_member: BTreeMap<MemberId, i128> = BTreeMap::new();
        for e in &booked {
            for l in e.lines() {
                if let Some(m) = l.dims.member
                    && accounts.iter().any(|a| a == l.account.as_str())
                {
                    bump(
                        per_member.entry(m).or_default(),
                        signed(l.side, l.amount).saturating_neg(),
                    );
                }
            }
        }
        for s in &dist.members {
            let got = per_member.get(&s.id).copied().unwrap_or(0);
            if got != s.total.to_sen() {
                return Err(Error::Internal {
                    op: OP,
                    what: format!(
                        "member {}: SHU {year} booked {} but the policy gives {}",
                        s.id,
                        money(got)?,
                        s.total
                    ),
                });
            }
        }
    }
    Ok(Some(dist))
}

fn shu_report(
    book: &Koperasi,
    year: i32,
    dist: Option<&koperasi_shu::Distribution<MemberId>>,
    members: &Roll<'_>,
    options: &RatOptions,
) -> Result<ShuReport> {
    let c = book.closed_years().get(&year);
    let shu = c.map_or(Rupiah::ZERO, |c| c.shu);
    let Some(dist) = dist else {
        return Ok(ShuReport {
            shu,
            from_non_members: Rupiah::ZERO,
            allocations: Vec::new(),
            pools: Vec::new(),
            members: Vec::new(),
            excluded: 0,
            residue: Rupiah::ZERO,
            undistributed: Rupiah::ZERO,
        });
    };
    let mut allocations = Vec::with_capacity(dist.lines.len());
    for l in &dist.lines {
        allocations.push(ShuAllocation {
            name: l.name.clone(),
            kind: line_kind(l.kind).to_owned(),
            pct: l.percent,
            amount: l.amount,
            received: l.residue_received.checked_add(l.undistributed_received)?,
        });
    }
    let pools = dist
        .pools
        .iter()
        .map(|p| ShuPool {
            line: p.line.clone(),
            capital: p.pool == Pool::Capital,
            amount: p.amount,
            paid: p.paid,
            unpaid: p.unpaid,
            residue: p.residue,
            undistributed: p.undistributed,
        })
        .collect();
    let mut out = Vec::with_capacity(dist.members.len());
    for s in &dist.members {
        let m = members.get(&s.id).ok_or(Error::UnknownMember {
            op: OP,
            member: s.id,
        })?;
        out.push(MemberShu {
            member: member_ref(m, options),
            share: ShuShare {
                jasa_modal: s.capital,
                jasa_usaha: s.patronage,
                total: s.total,
            },
        });
    }
    Ok(ShuReport {
        shu,
        from_non_members: dist.from_non_members,
        allocations,
        pools,
        members: out,
        excluded: u64::try_from(dist.excluded.len()).unwrap_or(u64::MAX),
        residue: dist.residue,
        undistributed: dist.undistributed,
    })
}

fn portfolio(
    book: &Koperasi,
    snap: &BookSnapshot,
    members: &Roll<'_>,
    options: &RatOptions,
) -> Result<LoanPortfolio> {
    let end = snap.as_of;
    let mut lines = Vec::new();
    let mut loans = Vec::new();
    for l in snap.loans.iter().filter(|l| l.outstanding.is_positive()) {
        let pledged = Rupiah::try_sum(
            book.collateral(l.loan)
                .iter()
                .filter(|c| c.appraised_on <= end)
                .map(|c| c.value),
        )?;
        lines.push(PortfolioLine {
            class: l.class,
            outstanding: l.outstanding,
            eligible_collateral: pledged,
        });
        let shown = match options.reader {
            Reader::Officer => true,
            Reader::Member(id) => id == l.member,
            Reader::Public => false,
        };
        let member = match members.get(&l.member) {
            Some(m) if shown => Some(member_ref(m, options)),
            _ => None,
        };
        loans.push(PortfolioLoan {
            loan: l.loan.to_string(),
            member,
            outstanding: l.outstanding,
            days_past_due: l.days_past_due,
            class: l.class,
        });
    }
    let rates = book.config().reserve_rates;
    let by_class = portfolio_by_class(&lines).map_err(sl(OP))?;
    let reserve_required = required_reserve(&lines, &rates).map_err(sl(OP))?;
    if reserve_required != snap.reserve_required {
        return Err(Error::Internal {
            op: OP,
            what: format!(
                "PPAP {} differs from the snapshot's {}",
                reserve_required.total, snap.reserve_required.total
            ),
        });
    }
    let npl = Rupiah::try_sum([by_class.substandard, by_class.doubtful, by_class.loss])?;
    let total = by_class.total().map_err(sl(OP))?;
    let npl_pct = if total.is_positive() {
        Some(
            Precision::TWO_HALF_UP
                .divide(
                    npl.to_decimal(),
                    koperasi_core::Decimal::ONE_HUNDRED,
                    total.to_decimal(),
                )
                .map_err(crate::error::reporting(OP))?,
        )
    } else {
        None
    };
    Ok(LoanPortfolio {
        as_of: end,
        loans,
        by_class,
        rates,
        reserve_required,
        reserve_booked: snap.reserve_booked,
        npl,
        npl_pct,
    })
}

/// The RAT package of fiscal `year` (named by the calendar year it starts in) from the book,
/// as of the year's last day — see the [module](self) documentation for where each figure
/// comes from.
///
/// # Errors
/// * [`Error::YearState`] — the year has not ended in the book (a year in the future: reason
///   `"has not ended in the book"`) or is not closed (`"not closed"`);
/// * [`Error::UnknownMember`] — the reader is a member the book did not know by the year end;
/// * [`Error::Core`] on a fiscal year out of range or a total beyond `Rupiah`'s range;
/// * [`Error::Internal`] if the book's own figures disagree (a savings line without its
///   member, the PPAP against the snapshot's, a booked SHU share against the policy's), or
///   a report fails its arithmetic check;
/// * as [`Koperasi::snapshot`], [`Koperasi::statements`] and
///   [`assess_health_on`].
#[doc(alias = "laporan pertanggungjawaban")]
#[doc(alias = "paket RAT")]
pub fn build(book: &Koperasi, year: i32, options: &RatOptions) -> Result<RatPackage> {
    let fy = FiscalYear::new(year, book.config().fiscal_start_month)?;
    let period = fy.period()?;
    let end = fy.end();
    if !book.closed_years().contains_key(&year) {
        return Err(Error::YearState {
            op: OP,
            year,
            reason: if end > book.last_date() {
                "has not ended in the book"
            } else {
                "not closed"
            },
        });
    }
    let known = |id: MemberId| {
        book.registry()
            .get(id)
            .filter(|m| m.status_on(end).is_some())
    };
    if let Reader::Member(id) = options.reader
        && known(id).is_none()
    {
        return Err(Error::UnknownMember { op: OP, member: id });
    }
    let registry = book.registry();
    let width = registry.len().to_string().len().max(4);
    let members: Roll<'_> = registry
        .members()
        .filter(|m| m.status_on(end).is_some())
        .filter_map(|m| {
            let number = registry.number(m.id())?;
            let number = format!("{number:0width$}");
            Some((m.id(), Numbered { number, member: m }))
        })
        .collect();

    let snap = book.snapshot(end)?;
    let opening = match fy.start().pred_opt() {
        Some(d) => Some(book.snapshot(d)?),
        None => None,
    };
    let opening_of: HashMap<LoanId, Rupiah> = opening
        .iter()
        .flat_map(|s| s.loans.iter())
        .map(|l| (l.loan, l.outstanding))
        .collect();
    let (savings, loan_sums) = movements(book, fy)?;
    let dist = shu_distribution(book, year)?;

    let mut loans_of: BTreeMap<MemberId, Vec<LoanLine>> = BTreeMap::new();
    for l in &snap.loans {
        let open = opening_of.get(&l.loan).copied().unwrap_or(Rupiah::ZERO);
        let [disbursed, principal, interest, penalty, written_off] =
            loan_sums.get(&l.loan).copied().unwrap_or_default().0;
        let moved = [disbursed, principal, interest, penalty, written_off]
            .iter()
            .any(|x| *x != 0);
        if open.is_zero() && l.outstanding.is_zero() && !moved {
            continue;
        }
        let (disbursed, principal_paid, written_off) =
            (money(disbursed)?, money(principal)?, money(written_off)?);
        // What the repayments, disbursement and write-off do not explain: savings set off
        // against the loan when the member left.
        let other = l
            .outstanding
            .checked_sub(open)?
            .checked_sub(disbursed)?
            .checked_add(principal_paid)?
            .checked_add(written_off)?;
        loans_of.entry(l.member).or_default().push(LoanLine {
            loan: l.loan.to_string(),
            principal: l.principal,
            disbursed_on: l.disbursed_on,
            opening: open,
            disbursed,
            principal_paid,
            interest_paid: money(interest)?,
            penalty_paid: money(penalty)?,
            written_off,
            other,
            closing: l.outstanding,
            days_past_due: l.days_past_due,
            class: l.class,
        });
    }

    let mut statements = Vec::new();
    for (id, m) in &members {
        let wanted = match options.reader {
            Reader::Officer => true,
            Reader::Member(me) => me == *id,
            Reader::Public => false,
        };
        if !wanted {
            continue;
        }
        let mut lines = Vec::with_capacity(4);
        for (k, kind) in SAVINGS_KINDS.iter().enumerate() {
            let s = savings.get(&(*id, k)).copied().unwrap_or_default().0;
            let [open, dep, int, wd] = s;
            lines.push(SavingsLine {
                kind: *kind,
                opening: money(open)?,
                deposits: money(dep)?,
                interest: money(int)?,
                withdrawals: money(wd)?,
                closing: money(
                    open.saturating_add(dep)
                        .saturating_add(int)
                        .saturating_sub(wd),
                )?,
            });
        }
        let loans = loans_of.remove(id).unwrap_or_default();
        let shu = dist
            .as_ref()
            .and_then(|d| d.member(id))
            .map(|s| ShuShare {
                jasa_modal: s.capital,
                jasa_usaha: s.patronage,
                total: s.total,
            })
            .unwrap_or_default();
        let status = m.member.status_on(end);
        let active = status.is_some_and(koperasi_membership::MemberStatus::is_active);
        let nothing = lines.iter().all(|l| {
            l.opening.is_zero()
                && l.deposits.is_zero()
                && l.interest.is_zero()
                && l.withdrawals.is_zero()
        }) && loans.is_empty()
            && shu.total.is_zero();
        if !active && nothing && options.reader == Reader::Officer {
            continue;
        }
        statements.push(MemberStatement {
            member: member_ref(m, options),
            status: status.map_or("", |s| s.label_id()).to_owned(),
            savings: lines,
            loans,
            shu,
        });
    }
    statements.sort_by(|a, b| a.member.number.cmp(&b.member.number));

    let controls = Controls {
        savings: vec![
            (SAVINGS_KINDS[0], snap.savings.pokok),
            (SAVINGS_KINDS[1], snap.savings.wajib),
            (SAVINGS_KINDS[2], snap.savings.sukarela),
            (SAVINGS_KINDS[3], snap.savings.berjangka),
        ],
        loans_outstanding: snap.role(book, R::LoanReceivable),
    };
    let portfolio = portfolio(book, &snap, &members, options)?;
    let shu = shu_report(book, year, dist.as_ref(), &members, options)?;
    let statements_ = book.statements(period, Some(fy.previous()?.period()?))?;

    let (health, health_note) = match &options.management {
        None => (
            None,
            Some(
                "Penilaian kesehatan tidak disertakan: kuesioner manajemen (diisi pengawas atau \
                 Dinas) belum diberikan."
                    .to_owned(),
            ),
        ),
        Some(m) => match assess_health_on(book, fy, fy.end(), m) {
            Ok(a) => (Some(a), None),
            Err(e) => {
                // Only a book the profile cannot score (a zero denominator, e.g. no loans at
                // all) is reported as not assessed; any other failure is an error.
                let s = snapshot_with_health(book, "", &book.config().name, fy, m)?;
                if s.health.is_some() {
                    return Err(e);
                }
                (
                    None,
                    Some(
                        "Koperasi tidak dapat dinilai menurut profil Perdep 06/2016: ada rasio \
                         dengan penyebut nol (misalnya tanpa pinjaman)."
                            .to_owned(),
                    ),
                )
            }
        },
    };

    let reader = match options.reader {
        Reader::Officer => "pengurus dan pengawas".to_owned(),
        Reader::Member(id) => format!(
            "anggota {}",
            members.get(&id).map_or_else(
                || id.to_string(),
                |m| member_ref(m, options).display().to_owned()
            )
        ),
        Reader::Public => "umum (tanpa laporan per anggota)".to_owned(),
    };
    let package = RatPackage {
        cooperative: book.config().name.clone(),
        year,
        period,
        reader,
        simulated: options.simulated,
        members: statements,
        controls,
        portfolio,
        shu,
        statements: statements_,
        health,
        health_note,
    };
    package.validate().map_err(crate::error::reporting(OP))?;
    Ok(package)
}

/// The last day of fiscal `year` of the book (the package's as-of date).
///
/// # Errors
/// [`Error::Core`] for a year out of range.
pub fn year_end(book: &Koperasi, year: i32) -> Result<NaiveDate> {
    Ok(FiscalYear::new(year, book.config().fiscal_start_month)?.end())
}
