//! `Koperasi`: one cooperative's book.
//!
//! The [`Koperasi`] type, [`Koperasi::apply`] and its dispatch, the queries and the shared
//! helpers that build entries live here; each family of operations has its own module.

mod after_month_end;
mod approvals;
mod assets;
mod collateral;
mod config;
mod corrections;
mod financing;
#[cfg(test)]
mod fixture;
mod loans;
mod membership;
mod month_end;
mod period;
mod qris;
mod reconcile;
mod savings;
mod settlements;
#[cfg(feature = "serde")]
mod snapshot_state;
mod trade;

pub use assets::{FixedAsset, Prepaid};
pub use collateral::{Collateral, CollateralKind};
pub use settlements::{Payable, PayoutRoute};

pub use approvals::{Request, RequestState};
use config::voluntary_product;
pub use config::{BookConfig, DomicileScope};
pub use period::ShuLine;
pub use reconcile::{BankAdjustment, BankReconciliation};
#[cfg(feature = "serde")]
pub use snapshot_state::BOOK_SNAPSHOT_VERSION;

use std::collections::{BTreeMap, BTreeSet};

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{
    ActorId, EntryId, FiscalYear, LoanId, MemberId, Period, RoundingPolicy, Rupiah,
    SavingsAccountId,
};
use koperasi_ledger::audit::TreeHead;
use koperasi_ledger::{
    AccountCode, BusinessUnit, ChartOfAccounts, Counterparty, Dimensions, JournalEntry, Ledger,
    LedgerOptions, Line, Side,
};
use koperasi_membership::{
    AccessControl, MemberStatus, MembershipRules, Permission, Registry, RolePolicy, Subject,
};
use koperasi_reporting::statements::{FinancialStatements, StatementPolicy};
use koperasi_savings_loans::{
    Collectibility, Loan, LoanStatus, LoanTerms, Repayment, SavingsAccount, SavingsKind,
    SavingsProduct,
};
use koperasi_shu::{Savings, Transactions};

use crate::error::{Error, Result, ledger, membership, reporting, sl};
use crate::event::{EVENT_FORMAT, Event, Operation, RequestId, Via};
use crate::posting::{PostingRole as R, SAVINGS_KINDS};

/// A loan application and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LoanApplication {
    /// The borrower.
    pub member: MemberId,
    /// The terms applied for.
    pub terms: LoanTerms,
    /// Approved by (maker, checker).
    pub approved: Option<(ActorId, Option<ActorId>)>,
}

/// A disbursed loan in the book.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LoanAccount {
    /// The borrower.
    pub member: MemberId,
    /// Its state (schedule, payments, arrears) from koperasi-savings-loans.
    pub loan: Loan,
    /// Collectibility at the last month-end.
    pub class: Collectibility,
}

/// One member's pokok, wajib and sukarela accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MemberAccounts {
    /// Simpanan pokok.
    pub pokok: SavingsAccount,
    /// Simpanan wajib.
    pub wajib: SavingsAccount,
    /// Simpanan sukarela.
    pub sukarela: SavingsAccount,
}

impl MemberAccounts {
    fn get(&self, kind: SavingsKind) -> Option<&SavingsAccount> {
        match kind {
            SavingsKind::Principal => Some(&self.pokok),
            SavingsKind::Mandatory => Some(&self.wajib),
            SavingsKind::Voluntary => Some(&self.sukarela),
            SavingsKind::TimeDeposit => None,
        }
    }
}

/// Stock of one item of a unit: quantity and value at cost (moving average).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Stock {
    /// Quantity.
    pub quantity: u64,
    /// Value at cost.
    pub value: Rupiah,
}

/// A QRIS sale waiting for the provider's settlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PendingQris {
    /// The sale's date.
    pub date: NaiveDate,
    /// The amount.
    pub amount: Rupiah,
}

/// A closed year and its SHU.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ClosedYear {
    /// The year.
    pub year: FiscalYear,
    /// SHU of the year (negative: a loss) — the closing entry's result.
    pub shu: Rupiah,
    /// Part of the SHU earned from non-members (pro rata to revenue).
    pub from_non_members: Rupiah,
    /// Members' pokok, wajib and sukarela at the fiscal year end, from the ledger (the jasa
    /// modal basis; the same whatever the day the year is closed), for every anggota on that
    /// day.
    pub savings: BTreeMap<MemberId, Savings>,
    /// Members who left during the year.
    pub departed: BTreeSet<MemberId>,
    /// The SHU has been distributed.
    pub distributed: bool,
    /// The date of the distribution (the RAT), once distributed.
    pub distributed_on: Option<NaiveDate>,
    /// The allocation as booked: (line name, amount), members' shares as one line.
    pub allocation: Vec<(String, Rupiah)>,
    /// The same lines with their kinds (fund, capital pool, patronage pool, desa share…).
    pub lines: Vec<ShuLine>,
    /// Earlier reopenings of the year: (date, reason).
    pub reopenings: Vec<(NaiveDate, String)>,
}

/// A general-ledger control account against the sum of its subledger.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ControlCheck {
    /// What is reconciled, e.g. `simpanan wajib`.
    pub name: &'static str,
    /// The control account's code.
    pub account: String,
    /// Its balance (normal side).
    pub general_ledger: Rupiah,
    /// Σ of the individual accounts.
    pub subledger: Rupiah,
}

impl ControlCheck {
    /// The two agree.
    pub fn reconciles(&self) -> bool {
        self.general_ledger == self.subledger
    }
}

/// What an applied operation posted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Applied {
    /// The entries posted, in order (none for registry-only operations and requests).
    pub entries: Vec<EntryId>,
    /// The two-person request this event made or decided, if any: a request made is not
    /// posted until a second person approves it ([`Operation::Approve`]).
    pub request: Option<RequestId>,
    /// Findings worth a second look that did not block the operation (a registration's
    /// NIK/KTP birth date or gender mismatch).
    pub warnings: Vec<koperasi_membership::RegistrationWarning>,
}

/// One cooperative's book: chart and ledger, member registry and access control, savings and
/// loan accounts, stock, QRIS settlements, the Himbara loan, products and policies — and the
/// event log of every operation applied.
///
/// See the [crate documentation](crate) for a guide.
#[derive(Debug, Clone)]
#[doc(alias = "buku koperasi")]
pub struct Koperasi {
    config: BookConfig,
    ledger: Ledger,
    registry: Registry,
    access: AccessControl,
    accounts: BTreeMap<MemberId, MemberAccounts>,
    deposits: BTreeMap<SavingsAccountId, (MemberId, SavingsAccount)>,
    applications: BTreeMap<LoanId, LoanApplication>,
    loans: BTreeMap<LoanId, LoanAccount>,
    stock: BTreeMap<(BusinessUnit, String), Stock>,
    qris_pending: BTreeMap<String, PendingQris>,
    qris_seen: BTreeSet<String>,
    himbara: Option<Loan>,
    registers: month_end::Registers,
    last_month_end: Option<NaiveDate>,
    patronage: BTreeMap<(i32, MemberId), Transactions>,
    departed: BTreeMap<i32, BTreeSet<MemberId>>,
    closed: BTreeMap<i32, ClosedYear>,
    events: Vec<Event>,
    last_date: NaiveDate,
    entry_seq: u64,
    id_base: u128,
    requests: BTreeMap<RequestId, Request>,
    undo: corrections::UndoLog,
    reopenings: BTreeMap<i32, Vec<(NaiveDate, String)>>,
}

/// Entries under construction for one operation.
struct Draft {
    entries: Vec<JournalEntry>,
}

/// The account of one line of a [`Pair`], with the line's dimensions.
#[derive(Clone, Copy)]
enum Leg<'a> {
    /// The account a posting role maps to.
    Role(R, Dimensions),
    /// An account code the operation names (an expense or a fixed-asset account).
    Account(&'a str, Dimensions),
}

impl Leg<'_> {
    /// A role's account, without dimensions.
    fn role(role: R) -> Leg<'static> {
        Leg::Role(role, Dimensions::default())
    }

    /// The payment route: kas or bank, without dimensions.
    fn via(via: Via) -> Leg<'static> {
        Leg::role(via_role(via))
    }
}

/// One entry of two lines for the same amount: debit one account, credit another.
struct Pair<'a> {
    memo: &'a str,
    source: String,
    amount: Rupiah,
    debit: Leg<'a>,
    credit: Leg<'a>,
}

const WHOLE: RoundingPolicy = RoundingPolicy::WHOLE_RUPIAH;

fn pos(op: &'static str, what: &'static str, amount: Rupiah) -> Result<()> {
    if amount.is_positive() {
        Ok(())
    } else {
        Err(Error::NonPositive { op, what, amount })
    }
}

fn add(a: Rupiah, b: Rupiah) -> Result<Rupiah> {
    Ok(a.checked_add(b)?)
}

fn sub(a: Rupiah, b: Rupiah) -> Result<Rupiah> {
    Ok(a.checked_sub(b)?)
}

fn member_dims(member: MemberId) -> Dimensions {
    Dimensions {
        unit: None,
        counterparty: Some(Counterparty::Member),
        member: Some(member),
    }
}

/// A line on the account `code`.
fn code_line(
    code: &str,
    side: Side,
    amount: Rupiah,
    dims: Dimensions,
) -> core::result::Result<Line, koperasi_ledger::Error> {
    Ok(Line::new(AccountCode::new(code)?, side, amount).with_dims(dims))
}

fn via_role(via: Via) -> R {
    match via {
        Via::Bank => R::Bank,
        _ => R::Cash,
    }
}

impl Koperasi {
    /// Opens an empty book with the standard KKMP chart.
    ///
    /// # Errors
    /// [`Error::Config`] for a bad configuration (a fiscal start month outside 1–12, an
    /// invalid savings product); [`Error::PostingMap`] if a role maps to an unusable account.
    pub fn new(config: BookConfig) -> Result<Koperasi> {
        let chart = ChartOfAccounts::standard_kkmp().map_err(ledger("open"))?;
        Koperasi::with_chart(config, chart)
    }

    /// Opens an empty book with an embedder's chart of accounts (map the roles it names
    /// differently with [`BookConfig::posting_map`]).
    ///
    /// # Errors
    /// As [`Koperasi::new`].
    pub fn with_chart(config: BookConfig, chart: ChartOfAccounts) -> Result<Koperasi> {
        config.posting_map.validate(&chart)?;
        if !(1..=12).contains(&config.fiscal_start_month) {
            return Err(Error::Config {
                what: format!("fiscal start month {}", config.fiscal_start_month),
            });
        }
        // Validate the products once, so that opening accounts later cannot fail on them.
        let probe = SavingsAccountId::from_u128(0);
        for product in [
            SavingsProduct::principal(config.pokok),
            SavingsProduct::mandatory(config.wajib),
            voluntary_product(&config)?,
        ] {
            SavingsAccount::open(probe, product, config.opening).map_err(sl("open"))?;
        }
        let options = LedgerOptions::default().with_fiscal_start_month(config.fiscal_start_month);
        let ledger =
            Ledger::with_options(chart, config.opening, options).map_err(ledger("open"))?;
        let mut access = AccessControl::new(RolePolicy::default(), config.maker_checker);
        for (actor, role) in &config.founders {
            access.grant(*actor, *role);
        }
        let mut rules = MembershipRules::kdmp(config.village);
        if config.domicile_scope == config::DomicileScope::District {
            // Checked by the book: any village of the kecamatan.
            rules.eligibility.domicile = None;
        }
        let registry = Registry::new(rules);
        let id_base = config.cooperative.as_uuid().as_u128() & !u128::from(u64::MAX);
        Ok(Koperasi {
            last_date: config.opening,
            config,
            ledger,
            registry,
            access,
            accounts: BTreeMap::new(),
            deposits: BTreeMap::new(),
            applications: BTreeMap::new(),
            loans: BTreeMap::new(),
            stock: BTreeMap::new(),
            qris_pending: BTreeMap::new(),
            qris_seen: BTreeSet::new(),
            himbara: None,
            registers: month_end::Registers::default(),
            last_month_end: None,
            patronage: BTreeMap::new(),
            departed: BTreeMap::new(),
            closed: BTreeMap::new(),
            events: Vec::new(),
            entry_seq: 0,
            id_base,
            requests: BTreeMap::new(),
            undo: corrections::UndoLog::default(),
            reopenings: BTreeMap::new(),
        })
    }

    // ---- accessors -------------------------------------------------------------------

    /// The configuration.
    pub fn config(&self) -> &BookConfig {
        &self.config
    }
    /// The ledger (journal, balances, audit log).
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }
    /// The member registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }
    /// Who may do what.
    pub fn access(&self) -> &AccessControl {
        &self.access
    }
    /// Every applied event, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    /// The date of the last applied operation (the opening date before any).
    pub fn last_date(&self) -> NaiveDate {
        self.last_date
    }
    /// A member's pokok, wajib and sukarela accounts.
    pub fn member_accounts(&self, member: MemberId) -> Option<&MemberAccounts> {
        self.accounts.get(&member)
    }
    /// Every member's accounts.
    pub fn all_member_accounts(&self) -> impl Iterator<Item = (MemberId, &MemberAccounts)> {
        self.accounts.iter().map(|(m, a)| (*m, a))
    }
    /// The balance of a member's savings of one kind (time deposits summed).
    ///
    /// # Errors
    /// [`Error::Core`] if the member's time deposits sum beyond `Rupiah`'s range (never
    /// reported as Rp0).
    pub fn savings_balance(&self, member: MemberId, kind: SavingsKind) -> Result<Rupiah> {
        if kind == SavingsKind::TimeDeposit {
            return Ok(Rupiah::try_sum(
                self.deposits
                    .values()
                    .filter(|(m, a)| *m == member && !a.is_closed())
                    .map(|(_, a)| a.balance()),
            )?);
        }
        Ok(self
            .accounts
            .get(&member)
            .and_then(|a| a.get(kind))
            .map_or(Rupiah::ZERO, SavingsAccount::balance))
    }
    /// Time deposits: account → (member, account).
    pub fn time_deposits(
        &self,
    ) -> impl Iterator<Item = (SavingsAccountId, MemberId, &SavingsAccount)> {
        self.deposits.iter().map(|(id, (m, a))| (*id, *m, a))
    }
    /// Loan applications not yet disbursed.
    pub fn applications(&self) -> &BTreeMap<LoanId, LoanApplication> {
        &self.applications
    }
    /// Disbursed loans.
    pub fn loans(&self) -> &BTreeMap<LoanId, LoanAccount> {
        &self.loans
    }
    /// Stock per (unit, item).
    pub fn stock(&self) -> &BTreeMap<(BusinessUnit, String), Stock> {
        &self.stock
    }
    /// QRIS sales awaiting settlement, by reference.
    pub fn pending_qris(&self) -> &BTreeMap<String, PendingQris> {
        &self.qris_pending
    }
    /// The Himbara loan, if drawn.
    pub fn himbara(&self) -> Option<&Loan> {
        self.himbara.as_ref()
    }
    /// Closed years.
    pub fn closed_years(&self) -> &BTreeMap<i32, ClosedYear> {
        &self.closed
    }
    /// A member's transactions with the cooperative in a fiscal year (jasa usaha basis).
    pub fn transactions(&self, year: i32, member: MemberId) -> Option<&Transactions> {
        self.patronage.get(&(year, member))
    }
    /// The audit log's tree head (size and root).
    pub fn audit_head(&self) -> TreeHead {
        self.ledger.audit().tree_head()
    }
    /// The account code of a role.
    pub fn code(&self, role: R) -> String {
        self.config.posting_map.code(role)
    }
    /// The fiscal year containing `date`.
    ///
    /// # Errors
    /// [`Error::Core`] for a date out of range.
    pub fn fiscal_year(&self, date: NaiveDate) -> Result<FiscalYear> {
        Ok(FiscalYear::containing(
            date,
            self.config.fiscal_start_month,
        )?)
    }

    /// The balance of the account of `role` (normal side) as of the last operation.
    ///
    /// # Errors
    /// [`Error::Ledger`] if the mapped account is unknown.
    pub fn role_balance(&self, role: R) -> Result<Rupiah> {
        self.ledger
            .balance(&self.code(role), self.last_date)
            .map_err(ledger("balance"))
    }

    /// Every control account against the sum of its subledger: each savings kind, loans
    /// (outstanding principal), the QRIS receivable, inventory and the Himbara loan.
    ///
    /// # Errors
    /// [`Error::Ledger`] or [`Error::Core`] on a failed query or overflow.
    pub fn reconcile(&self) -> Result<Vec<ControlCheck>> {
        let mut out = Vec::new();
        for kind in SAVINGS_KINDS {
            let sub = if kind == SavingsKind::TimeDeposit {
                Rupiah::try_sum(self.deposits.values().map(|(_, a)| a.balance()))?
            } else {
                Rupiah::try_sum(
                    self.accounts
                        .values()
                        .filter_map(|a| a.get(kind).map(SavingsAccount::balance)),
                )?
            };
            out.push(self.check(
                match kind {
                    SavingsKind::Principal => "simpanan pokok",
                    SavingsKind::Mandatory => "simpanan wajib",
                    SavingsKind::TimeDeposit => "simpanan berjangka",
                    SavingsKind::Voluntary => "simpanan sukarela",
                },
                R::MemberSavings(kind),
                sub,
            )?);
        }
        let mut loans = Rupiah::ZERO;
        for l in self.loans.values() {
            if l.loan.status() != LoanStatus::WrittenOff {
                loans = add(
                    loans,
                    l.loan.outstanding_principal().map_err(sl("reconcile"))?,
                )?;
            }
        }
        out.push(self.check("piutang pinjaman anggota", R::LoanReceivable, loans)?);
        let qris = Rupiah::try_sum(self.qris_pending.values().map(|p| p.amount))?;
        out.push(self.check("piutang QRIS", R::QrisReceivable, qris)?);
        let inv = Rupiah::try_sum(self.stock.values().map(|s| s.value))?;
        out.push(self.check("persediaan", R::Inventory, inv)?);
        let him = match &self.himbara {
            Some(l) => l.outstanding_principal().map_err(sl("reconcile"))?,
            None => Rupiah::ZERO,
        };
        out.push(self.check("pinjaman Himbara", R::HimbaraLoan, him)?);
        out.extend(self.register_checks()?);
        Ok(out)
    }

    fn check(&self, name: &'static str, role: R, subledger: Rupiah) -> Result<ControlCheck> {
        Ok(ControlCheck {
            name,
            account: self.code(role),
            general_ledger: self.role_balance(role)?,
            subledger,
        })
    }

    // ---- statements -----------------------------------------------------------------

    /// How this book's accounts are grouped into statement lines:
    /// [`StatementPolicy::standard_kkmp`] (simpanan pokok and wajib as equity, as the book
    /// posts them) read through the book's posting map, so a chart with other codes groups
    /// the same way: kas and bank, pokok and wajib, member and non-member revenue and the
    /// financing accounts are the role accounts; the groups (current assets and liabilities,
    /// the investing group, long-term financing, equity, revenue by member and non-member)
    /// are the chart headers the role accounts sit under — the parent of kas and bank, of the
    /// trade and tax payables and simpanan sukarela, of accumulated depreciation, of the
    /// Himbara loan, of each unit's revenue, and the root of simpanan pokok.
    pub fn statement_policy(&self) -> StatementPolicy {
        let codes = |roles: &[R]| roles.iter().map(|r| self.code(*r)).collect::<Vec<_>>();
        let chart = self.ledger.chart();
        let parent = |code: &str| {
            chart
                .get(code)
                .and_then(|a| a.parent.as_ref())
                .map(|p| p.as_str().to_owned())
        };
        let groups = |roles: &[R]| {
            let mut out: Vec<String> = Vec::new();
            for g in roles.iter().filter_map(|r| parent(&self.code(*r))) {
                if !out.contains(&g) {
                    out.push(g);
                }
            }
            out
        };
        // The top of the chart above an account (bounded by the chart's size: a chart has
        // no cycles, the bound only keeps a malformed one from looping).
        let root = |code: String| {
            let mut cur = code;
            for _ in 0..chart.len() {
                match parent(&cur) {
                    Some(p) => cur = p,
                    None => break,
                }
            }
            cur
        };
        let units = BusinessUnit::STANDARD;
        let member_revenue: Vec<R> = units.iter().map(|u| R::MemberRevenue(*u)).collect();
        let non_member_revenue: Vec<R> = units.iter().map(|u| R::NonMemberRevenue(*u)).collect();
        let mut p = StatementPolicy::standard_kkmp();
        p.cash = codes(&[R::Cash, R::Bank]);
        p.current_assets = groups(&[R::Cash, R::Bank]);
        p.current_liabilities = groups(&[
            R::TradePayable,
            R::TaxPayable,
            R::MemberSavings(SavingsKind::Voluntary),
        ]);
        p.investing = groups(&[R::AccumulatedDepreciation]);
        p.member_savings_equity = codes(&[
            R::MemberSavings(SavingsKind::Principal),
            R::MemberSavings(SavingsKind::Mandatory),
        ]);
        p.member_revenue = groups(&member_revenue);
        p.member_revenue.extend(codes(&member_revenue));
        p.non_member_revenue = groups(&non_member_revenue);
        p.non_member_revenue.extend(codes(&non_member_revenue));
        p.financing = groups(&[R::HimbaraLoan]);
        p.financing
            .push(root(self.code(R::MemberSavings(SavingsKind::Principal))));
        p.financing.extend(codes(&[
            R::MemberSavings(SavingsKind::Voluntary),
            R::MemberSavings(SavingsKind::TimeDeposit),
            R::HimbaraLoan,
            R::Grant,
            R::EquityParticipation,
            R::MemberShuPayable,
            R::ExitRefundPayable,
            R::VillageSharePayable,
        ]));
        p
    }

    /// The financial statements of `period` from the ledger, in one pass: the balance sheet
    /// (neraca) at the period's end, the income statement (PHU; by account, business unit and
    /// counterparty), the changes in equity and the cash flow statement (direct method), with
    /// `prior` as the comparative period — [`statements`](koperasi_reporting::statements::statements)
    /// of `koperasi-reporting` under [`Koperasi::statement_policy`]. The PHU leaves out
    /// closing entries, so it also reads a closed year.
    ///
    /// # Errors
    /// [`Error::Core`] if a total exceeds `Rupiah`'s range.
    #[doc(alias = "neraca")]
    #[doc(alias = "PHU")]
    #[doc(alias = "arus kas")]
    pub fn statements(&self, period: Period, prior: Option<Period>) -> Result<FinancialStatements> {
        koperasi_reporting::statements::statements(
            &self.ledger,
            period,
            prior,
            &self.statement_policy(),
        )
        .map_err(reporting("statements"))
    }

    // ---- applying operations --------------------------------------------------------

    /// Applies one operation: validates it, checks the actor's permission, computes it with
    /// the domain crates on copies of the state, posts its balanced entries atomically (each
    /// with its source and actor), and only then commits the new state and records the event.
    ///
    /// # Errors
    /// Any [`Error`]; a rejected operation changes nothing.
    ///
    /// An operation that needs two people ([`Operation::WriteOffLoan`], a loan approval above
    /// the limit, a large disbursement, granting a privileged role, [`Operation::Reverse`],
    /// [`Operation::CorrectAfterMonthEnd`], [`Operation::Adjust`], [`Operation::ReopenYear`])
    /// is not posted: it becomes a
    /// [`Request`] (its number in [`Applied::request`]) that a second person completes with
    /// [`Operation::Approve`] or refuses with [`Operation::Reject`].
    pub fn apply(&mut self, event: Event) -> Result<Applied> {
        let op = event.op.name();
        if event.format > EVENT_FORMAT {
            return Err(Error::EventFormat {
                found: event.format,
                supported: EVENT_FORMAT,
            });
        }
        if event.date < self.last_date {
            return Err(Error::DateOutOfOrder {
                op,
                date: event.date,
                last: self.last_date,
            });
        }
        self.undo.begin();
        self.undo.set_format(event.format);
        let applied = match self.two_person(&event.op) {
            Some(rule) => self.make_request(&event, rule),
            None => self.dispatch(&event, None),
        };
        let applied = match applied {
            Ok(x) => x,
            Err(e) => {
                self.undo.begin();
                return Err(e);
            }
        };
        self.undo
            .commit(self.events.len(), event.date, &applied.entries);
        self.last_date = event.date;
        self.events.push(event);
        Ok(applied)
    }

    /// Applies an operation on `date` by `actor` (shorthand for [`apply`](Self::apply)).
    ///
    /// # Errors
    /// As [`apply`](Self::apply).
    pub fn run(&mut self, date: NaiveDate, actor: ActorId, op: Operation) -> Result<Applied> {
        self.apply(Event::new(date, actor, op))
    }

    /// Rebuilds a book from its configuration and events.
    ///
    /// # Errors
    /// The first event's error (which should not happen for a log written by a book).
    pub fn replay(config: BookConfig, events: impl IntoIterator<Item = Event>) -> Result<Koperasi> {
        let mut book = Koperasi::new(config)?;
        for e in events {
            book.apply(e)?;
        }
        Ok(book)
    }

    fn permit(&self, actor: ActorId, op: &'static str, p: Permission, s: Subject) -> Result<()> {
        self.access.check(actor, p, s).map_err(membership(op))
    }

    /// Applies one operation as `e.actor` (for a completed request: the maker, with the
    /// `checker` who completed it).
    fn dispatch(&mut self, e: &Event, checker: Option<ActorId>) -> Result<Applied> {
        let (d, a) = (e.date, e.actor);
        self.refuse_closed_period(e)?;
        self.undo.operation(&e.op);
        match &e.op {
            Operation::GrantRole { grantee, role } => self.grant_role(a, *grantee, *role),
            Operation::RegisterMember {
                member,
                nik,
                name,
                birth_date,
                domicile,
                gender,
                associate,
            } => self.register(
                d,
                a,
                &membership::Registering {
                    member: *member,
                    nik,
                    name,
                    birth_date: *birth_date,
                    domicile: *domicile,
                    gender: *gender,
                    associate: *associate,
                },
            ),
            Operation::PayPrincipalSavings { member, via } => self.pay_pokok(d, a, *member, *via),
            Operation::Deposit {
                member,
                kind,
                amount,
                via,
            } => self.deposit(d, a, *member, *kind, *amount, *via),
            Operation::Withdraw {
                member,
                amount,
                via,
            } => self.withdraw(d, a, *member, *amount, *via),
            Operation::OpenTimeDeposit {
                account,
                member,
                amount,
                term_months,
                annual_percent,
                via,
            } => self.open_deposit(
                d,
                a,
                *account,
                *member,
                *amount,
                *term_months,
                *annual_percent,
                *via,
            ),
            Operation::WithdrawTimeDeposit { account, via } => {
                self.withdraw_deposit(d, a, *account, *via)
            }
            Operation::ApplyLoan {
                loan,
                member,
                terms,
            } => self.apply_loan(a, *loan, *member, terms),
            Operation::ApproveLoan { loan } => self.approve_loan(a, *loan, checker),
            Operation::DisburseLoan { loan, via } => self.disburse(d, a, *loan, *via),
            Operation::RepayLoan { loan, amount, via } => self.repay(d, a, *loan, *amount, *via),
            Operation::ChargePenalties { loan } => self.charge_penalties(d, a, *loan),
            Operation::WriteOffLoan { loan } => self.write_off(d, a, *loan),
            Operation::RecoverLoan { loan, amount, via } => {
                self.recover(d, a, *loan, *amount, *via)
            }
            Operation::Purchase {
                unit,
                sku,
                quantity,
                cost,
                payment,
            } => self.purchase(d, a, *unit, sku, *quantity, *cost, *payment),
            Operation::PaySupplier { amount, via } => self.pay_supplier(d, a, *amount, *via),
            Operation::Sale {
                unit,
                item,
                price,
                buyer,
                via,
            } => self.sale(d, a, *unit, item, *price, *buyer, via_role(*via), None),
            Operation::QrisSale {
                unit,
                item,
                buyer,
                payload,
            } => self.qris_sale(d, a, *unit, item, *buyer, payload),
            Operation::SettleQris { references, fee } => self.settle_qris(d, a, references, *fee),
            Operation::Expense {
                account,
                amount,
                unit,
                via,
                memo,
            } => self.expense(d, a, account, *amount, *unit, *via, memo),
            Operation::Transfer { from, to, amount } => self.transfer(d, a, *from, *to, *amount),
            Operation::AcquireAsset {
                account,
                amount,
                via,
                memo,
            } => self.acquire_asset(d, a, account, *amount, *via, memo),
            Operation::Capital { kind, amount, via } => self.capital(d, a, *kind, *amount, *via),
            Operation::HimbaraDrawdown {
                principal,
                operational,
                tenor_months,
                grace_months,
            } => {
                self.himbara_drawdown(d, a, *principal, *operational, *tenor_months, *grace_months)
            }
            Operation::HimbaraInstallment { amount } => self.himbara_installment(d, a, *amount),
            Operation::MonthEnd => self.month_end(d, a),
            Operation::MemberExit { member, reason } => {
                self.leave(d, a, *member, reason, membership::Leaving::Resign)
            }
            Operation::DismissMember { member, reason } => {
                self.leave(d, a, *member, reason, membership::Leaving::Dismiss)
            }
            Operation::MemberDeath {
                member,
                reason,
                heirs,
            } => self.leave(d, a, *member, reason, membership::Leaving::Death { heirs }),
            Operation::CloseYear { year } => self.close_year(d, a, *year),
            Operation::DistributeShu { year, payout } => self.distribute_shu(d, a, *year, *payout),
            Operation::LinkMember { officer, member } => self.link_member(a, *officer, *member),
            Operation::AcquireFixedAsset {
                asset,
                account,
                cost,
                useful_life_months,
                residual,
                payment,
                memo,
            } => self.acquire_fixed_asset(
                d,
                a,
                asset,
                account,
                *cost,
                *useful_life_months,
                *residual,
                *payment,
                memo,
            ),
            Operation::DisposeAsset {
                asset,
                proceeds,
                via,
            } => self.dispose_asset(d, a, asset, *proceeds, *via),
            Operation::ExpenseOnCredit {
                account,
                amount,
                unit,
                memo,
            } => self.expense_on_credit(d, a, account, *amount, *unit, memo),
            Operation::PrepayExpense {
                account,
                amount,
                months,
                unit,
                via,
                memo,
            } => self.prepay_expense(d, a, account, *amount, *months, *unit, *via, memo),
            Operation::StockCount { unit, sku, counted } => {
                self.stock_count(d, a, *unit, sku, *counted)
            }
            Operation::PledgeCollateral { loan, collateral } => {
                self.pledge_collateral(d, a, *loan, collateral)
            }
            Operation::AssessLoan {
                loan,
                salvageable,
                legal_or_insurance,
            } => self.assess_loan(a, *loan, *salvageable, *legal_or_insurance),
            Operation::WriteOffOverride { loan, reason } => {
                self.write_off_override(a, *loan, reason)
            }
            Operation::PayPayable {
                payable,
                amount,
                route,
            } => self.pay_payable(d, a, *payable, *amount, *route),
            Operation::Approve { request } => self.approve(d, a, *request),
            Operation::Reject { request, reason } => self.reject(d, a, *request, reason),
            Operation::WithdrawRequest { request } => self.withdraw_request(d, a, *request),
            Operation::Reverse { target, reason } => self.reverse(d, a, *target, reason),
            Operation::CorrectAfterMonthEnd { event, reason } => {
                self.correct_after_month_end(d, a, *event, reason)
            }
            Operation::Adjust {
                entry_date,
                memo,
                lines,
            } => self.adjust(d, a, *entry_date, memo, lines),
            Operation::ReopenYear { year, reason } => self.reopen_year(d, a, *year, reason),
            Operation::RecordBankReconciliation { reconciliation } => {
                self.record_bank_reconciliation(d, a, reconciliation)
            }
        }
    }

    // ---- building entries ------------------------------------------------------------

    fn line(&self, role: R, side: Side, amount: Rupiah, dims: Dimensions) -> Result<Line> {
        code_line(&self.code(role), side, amount, dims).map_err(ledger("posting map"))
    }

    fn post(&mut self, op: &'static str, draft: &Draft) -> Result<Applied> {
        let n = u64::try_from(draft.entries.len()).unwrap_or(u64::MAX);
        let ids = self.ledger.post_batch(&draft.entries).map_err(ledger(op))?;
        self.entry_seq = self.entry_seq.saturating_add(n);
        Ok(Applied {
            entries: ids,
            ..Applied::default()
        })
    }

    /// Posts the two-line entry `pair` (as [`Draft::push`]: with a zero amount, nothing).
    fn post_pair(
        &mut self,
        op: &'static str,
        d: NaiveDate,
        a: ActorId,
        pair: Pair<'_>,
    ) -> Result<Applied> {
        let leg = |leg: Leg<'_>, side: Side| match leg {
            Leg::Role(role, dims) => self.line(role, side, pair.amount, dims),
            Leg::Account(code, dims) => {
                code_line(code, side, pair.amount, dims).map_err(ledger(op))
            }
        };
        let lines = vec![
            leg(pair.debit, Side::Debit)?,
            leg(pair.credit, Side::Credit)?,
        ];
        self.post_entry(op, d, a, pair.memo, pair.source, lines)
    }

    /// Posts one entry (as [`Draft::push`]: zero lines dropped; without lines, nothing).
    fn post_entry(
        &mut self,
        op: &'static str,
        d: NaiveDate,
        a: ActorId,
        memo: &str,
        source: String,
        lines: Vec<Line>,
    ) -> Result<Applied> {
        let mut dr = Draft::new();
        dr.push(self, d, a, memo, source, lines);
        self.post(op, &dr)
    }

    fn next_id(&self, offset: usize) -> EntryId {
        let seq = self
            .entry_seq
            .saturating_add(u64::try_from(offset).unwrap_or(u64::MAX))
            .saturating_add(1);
        EntryId::from_u128(self.id_base | u128::from(seq))
    }

    fn active_member(&self, op: &'static str, member: MemberId) -> Result<()> {
        match self
            .registry
            .get(member)
            .map(koperasi_membership::Member::status)
        {
            None => Err(Error::UnknownMember { op, member }),
            Some(MemberStatus::Member | MemberStatus::Associate) => Ok(()),
            Some(_) => Err(Error::NotActiveMember { op, member }),
        }
    }

    fn year_of(&self, date: NaiveDate) -> Result<i32> {
        Ok(self.fiscal_year(date)?.year())
    }

    /// A member's transactions of `year` after `f` (computed before posting, so that an
    /// overflow is a typed error and nothing changes).
    fn patronage_after(
        &self,
        year: i32,
        member: MemberId,
        f: impl FnOnce(&mut Transactions) -> core::result::Result<(), koperasi_core::Error>,
    ) -> Result<Transactions> {
        let mut t = self
            .patronage
            .get(&(year, member))
            .cloned()
            .unwrap_or_default();
        f(&mut t)?;
        Ok(t)
    }

    /// Commits a member's transactions of `year` computed by [`Self::patronage_after`].
    fn set_patronage(&mut self, year: i32, member: MemberId, t: Transactions) {
        let old = self.patronage.insert((year, member), t);
        self.undo
            .changed(corrections::Restore::Patronage((year, member), old));
    }
}

impl Draft {
    fn new() -> Draft {
        Draft {
            entries: Vec::new(),
        }
    }

    /// Adds an entry (zero lines dropped) with the next id.
    fn push(
        &mut self,
        book: &Koperasi,
        date: NaiveDate,
        actor: ActorId,
        memo: &str,
        source: String,
        mut lines: Vec<Line>,
    ) {
        lines.retain(|l| !l.amount.is_zero());
        if lines.is_empty() {
            return;
        }
        let mut e = JournalEntry::new(book.next_id(self.entries.len()), date, actor)
            .with_memo(memo)
            .with_source(source);
        e.lines = lines;
        self.entries.push(e);
    }
}

/// Deterministic ids of a member's pokok, wajib and sukarela accounts.
fn account_ids(member: MemberId) -> [SavingsAccountId; 3] {
    let base = member.as_uuid().as_u128();
    [1u128, 2, 3].map(|k| SavingsAccountId::from_u128(base.wrapping_mul(4).wrapping_add(k)))
}

fn repayment_ref(r: &Repayment) -> String {
    let nums: Vec<String> = r
        .allocations
        .iter()
        .map(|a| {
            a.installment
                .map_or_else(|| "prepayment".to_owned(), |n| n.to_string())
        })
        .collect();
    if nums.is_empty() {
        "none".to_owned()
    } else {
        format!("installment:{}", nums.join(","))
    }
}

/// A small book for the modules' unit tests.
#[cfg(test)]
pub(crate) mod testkit {
    use koperasi_core::chrono::NaiveDate;
    use koperasi_core::{ActorId, CooperativeId, MemberId, Rupiah};
    use koperasi_membership::Role;
    use koperasi_savings_loans::SavingsKind;

    use super::{BookConfig, Koperasi};
    use crate::event::{CapitalKind, Operation, Via};

    pub(crate) const KETUA: ActorId = ActorId::from_u128(1);
    pub(crate) const BENDAHARA: ActorId = ActorId::from_u128(2);
    pub(crate) const KASIR: ActorId = ActorId::from_u128(3);
    pub(crate) const PENGAWAS: ActorId = ActorId::from_u128(6);

    pub(crate) fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    pub(crate) fn rp(n: i64) -> Rupiah {
        Rupiah::from_rupiah(n)
    }

    pub(crate) fn member(i: u128) -> MemberId {
        MemberId::from_u128(100 + i)
    }

    pub(crate) fn register(i: u128) -> Operation {
        Operation::RegisterMember {
            member: member(i),
            nik: format!("357404050690{:04}", i + 1),
            name: format!("Anggota {i}"),
            birth_date: NaiveDate::from_ymd_opt(1990, 6, 5).unwrap(),
            domicile: None,
            gender: None,
            associate: false,
        }
    }

    /// A grant of Rp100 juta in the bank and `n` anggota with Rp500.000 of sukarela each.
    pub(crate) fn book(n: u128) -> Koperasi {
        let config = BookConfig::kkmp(
            CooperativeId::from_u128(7),
            "KKMP Uji",
            "35.74.04.1002".parse().unwrap(),
            d(1, 1),
            vec![
                (KETUA, Role::Chair),
                (BENDAHARA, Role::Treasurer),
                (KASIR, Role::Teller),
                (PENGAWAS, Role::Supervisor),
            ],
        );
        let mut b = Koperasi::new(config).unwrap();
        b.run(
            d(1, 2),
            BENDAHARA,
            Operation::Capital {
                kind: CapitalKind::Grant,
                amount: rp(100_000_000),
                via: Via::Bank,
            },
        )
        .unwrap();
        for i in 0..n {
            b.run(d(1, 3), KETUA, register(i)).unwrap();
            b.run(
                d(1, 3),
                KASIR,
                Operation::PayPrincipalSavings {
                    member: member(i),
                    via: Via::Cash,
                },
            )
            .unwrap();
            b.run(
                d(1, 3),
                KASIR,
                Operation::Deposit {
                    member: member(i),
                    kind: SavingsKind::Voluntary,
                    amount: rp(500_000),
                    via: Via::Cash,
                },
            )
            .unwrap();
        }
        b
    }
}
