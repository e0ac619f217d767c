//! `Koperasi`: one cooperative's book.

use std::collections::{BTreeMap, BTreeSet};

use koperasi_core::chrono::{Datelike, NaiveDate};
use koperasi_core::{
    ActorId, CooperativeId, Decimal, EntryId, FiscalYear, LoanId, MemberId, Period, Rate,
    RoundingPolicy, Rupiah, SavingsAccountId, month_end,
};
use koperasi_ledger::audit::TreeHead;
use koperasi_ledger::{
    AccountClass, AccountCode, BusinessUnit, ChartOfAccounts, Counterparty, Dimensions,
    JournalEntry, Ledger, LedgerOptions, Line, Side, YearClose,
};
use koperasi_membership::{
    AccessControl, Applicant, Authorization, ControlledOp, MakerCheckerRules, MemberStatus,
    MembershipRules, Nik, Permission, Registry, Role, RolePolicy, Subject, VillageCode,
};
use koperasi_reporting::statements::{FinancialStatements, StatementPolicy};
use koperasi_savings_loans::{
    BalanceMethod, Charge, CollateralInfo, Collectibility, EarlyWithdrawal, Fee, GraceInterest,
    HimbaraProfile, InterestPolicy, Loan, LoanOptions, LoanStatus, LoanTerms, MemberStanding,
    Obligation, PortfolioLine, Repayment, ReserveRates, SavingsAccount, SavingsKind,
    SavingsProduct, exit_settlement, required_reserve,
};
use koperasi_shu::{
    LineKind, MemberContribution, Savings, ShuOutcome, ShuPolicy, ShuYear, Transactions,
};

use crate::error::{Error, Result, ledger, membership, reporting, shu, sl};
use crate::event::{
    Buyer, CapitalKind, Event, Item, Operation, PurchasePayment, ShuPayout, Via, kind_name,
};
use crate::posting::{PostingMap, PostingRole as R, SAVINGS_KINDS};

/// The configuration of a book: who the cooperative is, its products and policies (as decided
/// by the Rapat Anggota), and how roles map to accounts. Replaying an event log needs the same
/// configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct BookConfig {
    /// The cooperative's id (also the high bits of every entry id).
    pub cooperative: CooperativeId,
    /// Its name, e.g. "Koperasi Kelurahan Merah Putih Mangunharjo".
    pub name: String,
    /// Its desa/kelurahan (members must live there), e.g. `35.74.01.1001`.
    pub village: VillageCode,
    /// The opening date of the books.
    pub opening: NaiveDate,
    /// First month of the fiscal year (1 = January).
    pub fiscal_start_month: u32,
    /// Simpanan pokok (once, on entry).
    pub pokok: Rupiah,
    /// Simpanan wajib per month.
    pub wajib: Rupiah,
    /// Simpanan sukarela: minimum balance.
    pub sukarela_minimum: Rupiah,
    /// Simpanan sukarela: interest, percent per year (daily balance, posted monthly); `None`
    /// for no interest.
    pub sukarela_interest_percent: Option<Decimal>,
    /// Simpanan berjangka: early-withdrawal rule.
    pub time_deposit_early: EarlyWithdrawal,
    /// Loan product options (allocation order, overpayment, penalty).
    pub loan_options: LoanOptions,
    /// Loan fees charged at disbursement.
    pub loan_fees: Vec<Fee>,
    /// PPAP rates per collectibility class.
    pub reserve_rates: ReserveRates,
    /// The SHU policy (AD/ART).
    pub shu_policy: ShuPolicy,
    /// Maker-checker rules.
    pub maker_checker: MakerCheckerRules,
    /// Roles held from the start (the founding pengurus and staff).
    pub founders: Vec<(ActorId, Role)>,
    /// Role → account overrides of the standard KKMP chart.
    pub posting_map: PostingMap,
}

impl BookConfig {
    /// A KKMP with the usual defaults: simpanan pokok Rp100.000, wajib Rp10.000 a month,
    /// sukarela at 3% a year, loan provisi 1% deducted, denda Rp1.000 a day after 3 days, PPAP
    /// 0,5/10/50/100%, the KDMP SHU policy, fiscal year = calendar year.
    pub fn kkmp(
        cooperative: CooperativeId,
        name: impl Into<String>,
        village: VillageCode,
        opening: NaiveDate,
        founders: Vec<(ActorId, Role)>,
    ) -> BookConfig {
        use koperasi_savings_loans::{FeeCollection, FeeKind, PenaltyRule};
        BookConfig {
            cooperative,
            name: name.into(),
            village,
            opening,
            fiscal_start_month: 1,
            pokok: Rupiah::from_rupiah(100_000),
            wajib: Rupiah::from_rupiah(10_000),
            sukarela_minimum: Rupiah::ZERO,
            sukarela_interest_percent: Some(Decimal::from(3)),
            time_deposit_early: EarlyWithdrawal {
                forfeit_interest: true,
                penalty: Charge::Fixed(Rupiah::ZERO),
            },
            loan_options: LoanOptions::default().with_penalty(PenaltyRule::PerDay {
                charge: Charge::Fixed(Rupiah::from_rupiah(1_000)),
                grace_days: 3,
            }),
            loan_fees: vec![Fee {
                kind: FeeKind::Provision,
                charge: Charge::Percent(Decimal::ONE),
                collection: FeeCollection::Deducted,
            }],
            reserve_rates: ReserveRates::default(),
            shu_policy: ShuPolicy::kdmp(),
            maker_checker: MakerCheckerRules::default(),
            founders,
            posting_map: PostingMap::standard(),
        }
    }
}

/// A loan application and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[non_exhaustive]
pub struct Stock {
    /// Quantity.
    pub quantity: u64,
    /// Value at cost.
    pub value: Rupiah,
}

/// A QRIS sale waiting for the provider's settlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PendingQris {
    /// The sale's date.
    pub date: NaiveDate,
    /// The amount.
    pub amount: Rupiah,
}

/// A closed year and its SHU.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClosedYear {
    /// The year.
    pub year: FiscalYear,
    /// SHU of the year (negative: a loss) — the closing entry's result.
    pub shu: Rupiah,
    /// Part of the SHU earned from non-members (pro rata to revenue).
    pub from_non_members: Rupiah,
    /// Members' savings at the close (the jasa modal basis).
    pub savings: BTreeMap<MemberId, Savings>,
    /// Members who left during the year.
    pub departed: BTreeSet<MemberId>,
    /// The SHU has been distributed.
    pub distributed: bool,
    /// The date of the distribution (the RAT), once distributed.
    pub distributed_on: Option<NaiveDate>,
    /// The allocation as booked: (line name, amount), members' shares as one line.
    pub allocation: Vec<(String, Rupiah)>,
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
    /// The entries posted, in order (none for registry-only operations).
    pub entries: Vec<EntryId>,
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
    accrual: Vec<Line>,
    last_month_end: Option<NaiveDate>,
    patronage: BTreeMap<(i32, MemberId), Transactions>,
    departed: BTreeMap<i32, BTreeSet<MemberId>>,
    closed: BTreeMap<i32, ClosedYear>,
    events: Vec<Event>,
    last_date: NaiveDate,
    entry_seq: u64,
    id_base: u128,
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
        let registry = Registry::new(MembershipRules::kdmp(config.village));
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
            accrual: Vec::new(),
            last_month_end: None,
            patronage: BTreeMap::new(),
            departed: BTreeMap::new(),
            closed: BTreeMap::new(),
            events: Vec::new(),
            entry_seq: 0,
            id_base,
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
    pub fn savings_balance(&self, member: MemberId, kind: SavingsKind) -> Rupiah {
        if kind == SavingsKind::TimeDeposit {
            return Rupiah::try_sum(
                self.deposits
                    .values()
                    .filter(|(m, a)| *m == member && !a.is_closed())
                    .map(|(_, a)| a.balance()),
            )
            .unwrap_or(Rupiah::ZERO);
        }
        self.accounts
            .get(&member)
            .and_then(|a| a.get(kind))
            .map_or(Rupiah::ZERO, SavingsAccount::balance)
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
    /// posts them) with the book's posting map applied — its kas and bank, pokok and wajib,
    /// member and non-member revenue and financing accounts.
    pub fn statement_policy(&self) -> StatementPolicy {
        let codes = |roles: &[R]| roles.iter().map(|r| self.code(*r)).collect::<Vec<_>>();
        let mut p = StatementPolicy::standard_kkmp();
        p.cash = codes(&[R::Cash, R::Bank]);
        p.member_savings_equity = codes(&[
            R::MemberSavings(SavingsKind::Principal),
            R::MemberSavings(SavingsKind::Mandatory),
        ]);
        for u in BusinessUnit::STANDARD {
            p.member_revenue.push(self.code(R::MemberRevenue(u)));
            p.non_member_revenue.push(self.code(R::NonMemberRevenue(u)));
        }
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
    pub fn apply(&mut self, event: Event) -> Result<Applied> {
        let op = event.op.name();
        if event.date < self.last_date {
            return Err(Error::DateOutOfOrder {
                op,
                date: event.date,
                last: self.last_date,
            });
        }
        let applied = self.dispatch(&event)?;
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

    fn dispatch(&mut self, e: &Event) -> Result<Applied> {
        let (d, a) = (e.date, e.actor);
        match &e.op {
            Operation::GrantRole { grantee, role } => {
                self.permit(
                    a,
                    "grant_role",
                    Permission::ManageAccess,
                    Subject::Cooperative,
                )?;
                self.access.grant(*grantee, *role);
                Ok(Applied::default())
            }
            Operation::RegisterMember {
                member,
                nik,
                name,
                birth_date,
            } => self.register(d, a, *member, nik, name, *birth_date),
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
            Operation::ApproveLoan { loan, checker } => self.approve_loan(d, a, *loan, *checker),
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
            Operation::PaySupplier { amount, via } => {
                let op = "pay_supplier";
                self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
                pos(op, "amount", *amount)?;
                let pair = Pair {
                    memo: "Pembayaran utang usaha",
                    source: "supplier".into(),
                    amount: *amount,
                    debit: Leg::role(R::TradePayable),
                    credit: Leg::via(*via),
                };
                self.post_pair(op, d, a, pair)
            }
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
            Operation::Transfer { from, to, amount } => {
                let op = "transfer";
                self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
                pos(op, "amount", *amount)?;
                if via_role(*from) == via_role(*to) {
                    return Err(Error::SameAccount { op });
                }
                let pair = Pair {
                    memo: "Pemindahan kas/bank",
                    source: "transfer".into(),
                    amount: *amount,
                    debit: Leg::via(*to),
                    credit: Leg::via(*from),
                };
                self.post_pair(op, d, a, pair)
            }
            Operation::AcquireAsset {
                account,
                amount,
                via,
                memo,
            } => self.acquire_asset(d, a, account, *amount, *via, memo),
            Operation::Capital { kind, amount, via } => {
                let op = "capital";
                self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
                pos(op, "amount", *amount)?;
                let (role, memo) = match kind {
                    CapitalKind::Grant => (R::Grant, "Penerimaan hibah"),
                    _ => (R::EquityParticipation, "Penerimaan modal penyertaan"),
                };
                let pair = Pair {
                    memo,
                    source: "capital".into(),
                    amount: *amount,
                    debit: Leg::via(*via),
                    credit: Leg::role(role),
                };
                self.post_pair(op, d, a, pair)
            }
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
            Operation::MemberExit { member, reason } => self.exit(d, a, *member, reason),
            Operation::CloseYear { year } => self.close_year(d, a, *year),
            Operation::DistributeShu { year, payout } => self.distribute_shu(d, a, *year, *payout),
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
        Ok(Applied { entries: ids })
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

    // ---- members and savings ---------------------------------------------------------

    fn register(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        member: MemberId,
        nik: &str,
        name: &str,
        birth_date: NaiveDate,
    ) -> Result<Applied> {
        let op = "register_member";
        self.permit(a, op, Permission::ManageMembers, Subject::Member(member))?;
        let nik = Nik::parse(nik).map_err(membership(op))?;
        let applicant = Applicant::new(member, nik, name, birth_date, self.config.village);
        self.registry
            .register(applicant, d)
            .map_err(membership(op))?;
        Ok(Applied::default())
    }

    fn pay_pokok(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        member: MemberId,
        via: Via,
    ) -> Result<Applied> {
        let op = "pay_principal_savings";
        self.permit(a, op, Permission::RecordSavings, Subject::Member(member))?;
        let m = self
            .registry
            .get(member)
            .ok_or(Error::UnknownMember { op, member })?;
        // The registry's own conditions for recording the payment and admitting, checked
        // before anything is posted so that the registry steps below cannot fail.
        if m.status() != MemberStatus::Candidate || m.pokok_paid_on().is_some() {
            return Err(Error::MemberBlocked {
                op,
                member,
                reason: "not a calon anggota awaiting simpanan pokok",
            });
        }
        if d < m.last_change_on() {
            return Err(Error::DateOutOfOrder {
                op,
                date: d,
                last: m.last_change_on(),
            });
        }
        if self.registry.admission_deadline(m).is_some_and(|dl| d > dl) {
            return Err(Error::MemberBlocked {
                op,
                member,
                reason: "admission deadline passed",
            });
        }
        if self.accounts.contains_key(&member) {
            return Err(Error::Duplicate {
                op,
                what: "savings accounts of member",
                id: member.to_string(),
            });
        }
        let ids = account_ids(member);
        let mut pokok =
            SavingsAccount::open(ids[0], SavingsProduct::principal(self.config.pokok), d)
                .map_err(sl(op))?;
        pokok.deposit(d, self.config.pokok).map_err(sl(op))?;
        let wajib = SavingsAccount::open(ids[1], SavingsProduct::mandatory(self.config.wajib), d)
            .map_err(sl(op))?;
        let sukarela =
            SavingsAccount::open(ids[2], voluntary_product(&self.config)?, d).map_err(sl(op))?;
        let pair = Pair {
            memo: "Setoran simpanan pokok",
            source: format!("savings:{member}/pokok"),
            amount: self.config.pokok,
            debit: Leg::via(via),
            credit: Leg::Role(
                R::MemberSavings(SavingsKind::Principal),
                member_dims(member),
            ),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        self.accounts.insert(
            member,
            MemberAccounts {
                pokok,
                wajib,
                sukarela,
            },
        );
        // Checked above: a calon anggota, pokok unpaid, date not before the last change,
        // within the admission deadline.
        let r1 = self.registry.record_pokok_payment(member, d);
        let r2 = self.registry.admit(member, d, "simpanan pokok lunas");
        if let Err(e) = r1.and(r2.map(|_| ())) {
            return Err(Error::Internal {
                op,
                what: format!("registry rejected a pre-checked admission: {e}"),
            });
        }
        Ok(applied)
    }

    fn deposit(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        member: MemberId,
        kind: SavingsKind,
        amount: Rupiah,
        via: Via,
    ) -> Result<Applied> {
        let op = "deposit";
        self.permit(a, op, Permission::RecordSavings, Subject::Member(member))?;
        pos(op, "amount", amount)?;
        self.active_member(op, member)?;
        let accts = self.accounts.get(&member).ok_or(Error::NoSavingsAccount {
            op,
            member,
            kind: kind_name(kind),
        })?;
        let mut acc = match kind {
            SavingsKind::Mandatory => accts.wajib.clone(),
            SavingsKind::Voluntary => accts.sukarela.clone(),
            _ => {
                return Err(Error::WrongSavingsKind {
                    op,
                    kind: kind_name(kind),
                });
            }
        };
        acc.deposit(d, amount).map_err(sl(op))?;
        let pair = Pair {
            memo: &format!("Setoran simpanan {}", kind_name(kind)),
            source: format!("savings:{member}/{}", kind_name(kind)),
            amount,
            debit: Leg::via(via),
            credit: Leg::Role(R::MemberSavings(kind), member_dims(member)),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        if let Some(accts) = self.accounts.get_mut(&member) {
            if kind == SavingsKind::Mandatory {
                accts.wajib = acc;
            } else {
                accts.sukarela = acc;
            }
        }
        Ok(applied)
    }

    fn withdraw(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        member: MemberId,
        amount: Rupiah,
        via: Via,
    ) -> Result<Applied> {
        let op = "withdraw";
        self.permit(a, op, Permission::RecordSavings, Subject::Member(member))?;
        pos(op, "amount", amount)?;
        self.active_member(op, member)?;
        let mut acc = self
            .accounts
            .get(&member)
            .map(|x| x.sukarela.clone())
            .ok_or(Error::NoSavingsAccount {
                op,
                member,
                kind: "sukarela",
            })?;
        acc.withdraw(d, amount, MemberStanding::Active)
            .map_err(sl(op))?;
        let pair = Pair {
            memo: "Penarikan simpanan sukarela",
            source: format!("savings:{member}/sukarela"),
            amount,
            debit: Leg::Role(
                R::MemberSavings(SavingsKind::Voluntary),
                member_dims(member),
            ),
            credit: Leg::via(via),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        if let Some(x) = self.accounts.get_mut(&member) {
            x.sukarela = acc;
        }
        Ok(applied)
    }

    #[allow(clippy::too_many_arguments)]
    fn open_deposit(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        account: SavingsAccountId,
        member: MemberId,
        amount: Rupiah,
        term_months: u32,
        annual_percent: Decimal,
        via: Via,
    ) -> Result<Applied> {
        let op = "open_time_deposit";
        self.permit(a, op, Permission::RecordSavings, Subject::Member(member))?;
        pos(op, "amount", amount)?;
        self.active_member(op, member)?;
        if self.deposits.contains_key(&account) {
            return Err(Error::Duplicate {
                op,
                what: "time deposit",
                id: account.to_string(),
            });
        }
        let rate = Rate::per_year(annual_percent)?;
        let product =
            SavingsProduct::time_deposit(term_months, rate, self.config.time_deposit_early);
        let (acc, _) =
            SavingsAccount::open_time_deposit(account, product, d, amount).map_err(sl(op))?;
        let pair = Pair {
            memo: "Penempatan simpanan berjangka",
            source: format!("savings:{member}/berjangka/{account}"),
            amount,
            debit: Leg::via(via),
            credit: Leg::Role(
                R::MemberSavings(SavingsKind::TimeDeposit),
                member_dims(member),
            ),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        self.deposits.insert(account, (member, acc));
        Ok(applied)
    }

    fn withdraw_deposit(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        account: SavingsAccountId,
        via: Via,
    ) -> Result<Applied> {
        let op = "withdraw_time_deposit";
        let (member, mut acc) = self
            .deposits
            .get(&account)
            .cloned()
            .ok_or(Error::UnknownDeposit { op, account })?;
        self.permit(a, op, Permission::RecordSavings, Subject::Member(member))?;
        let p = acc.withdraw_time_deposit(d).map_err(sl(op))?;
        let debits = add(p.principal, p.interest)?;
        let credits = add(add(p.net, p.tax_withheld)?, p.penalty)?;
        if debits != credits {
            return Err(Error::Internal {
                op,
                what: format!("payout {debits} ≠ {credits}"),
            });
        }
        let md = member_dims(member);
        let mut lines = vec![self.line(
            R::MemberSavings(SavingsKind::TimeDeposit),
            Side::Debit,
            p.principal,
            md,
        )?];
        lines.push(self.line(R::SavingsInterestExpense, Side::Debit, p.interest, md)?);
        lines.push(self.line(via_role(via), Side::Credit, p.net, Dimensions::default())?);
        lines.push(self.line(
            R::TaxPayable,
            Side::Credit,
            p.tax_withheld,
            Dimensions::default(),
        )?);
        lines.push(self.line(R::OtherIncome, Side::Credit, p.penalty, md)?);
        let applied = self.post_entry(
            op,
            d,
            a,
            "Pencairan simpanan berjangka",
            format!("savings:{member}/berjangka/{account}"),
            lines,
        )?;
        self.deposits.insert(account, (member, acc));
        Ok(applied)
    }

    // ---- loans -----------------------------------------------------------------------

    fn apply_loan(
        &mut self,
        a: ActorId,
        loan: LoanId,
        member: MemberId,
        terms: &LoanTerms,
    ) -> Result<Applied> {
        let op = "apply_loan";
        self.permit(a, op, Permission::PostEntry, Subject::Member(member))?;
        self.active_member(op, member)?;
        if self.applications.contains_key(&loan) || self.loans.contains_key(&loan) {
            return Err(Error::Duplicate {
                op,
                what: "loan",
                id: loan.to_string(),
            });
        }
        terms.validate().map_err(sl(op))?;
        self.applications.insert(
            loan,
            LoanApplication {
                member,
                terms: terms.clone(),
                approved: None,
            },
        );
        Ok(Applied::default())
    }

    fn approve_loan(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        loan: LoanId,
        checker: Option<ActorId>,
    ) -> Result<Applied> {
        let op = "approve_loan";
        let app = self
            .applications
            .get(&loan)
            .ok_or(Error::UnknownLoan { op, loan })?;
        if app.approved.is_some() {
            return Err(Error::LoanState {
                op,
                loan,
                state: "already approved",
            });
        }
        let ctl = ControlledOp::LoanApproval {
            loan,
            amount: app.terms.principal,
        };
        let approved = match self.access.request(a, ctl, d).map_err(membership(op))? {
            Authorization::Granted(_) => (a, None),
            Authorization::Pending(mut approval) => {
                let c = checker.ok_or(Error::CheckerRequired { op })?;
                approval
                    .approve(&self.access, c, d)
                    .map_err(membership(op))?;
                (a, Some(c))
            }
        };
        if let Some(app) = self.applications.get_mut(&loan) {
            app.approved = Some(approved);
        }
        Ok(Applied::default())
    }

    fn disburse(&mut self, d: NaiveDate, a: ActorId, loan: LoanId, via: Via) -> Result<Applied> {
        let op = "disburse_loan";
        let app = self
            .applications
            .get(&loan)
            .ok_or(Error::UnknownLoan { op, loan })?;
        self.permit(a, op, Permission::DisburseLoan, Subject::Loan(loan))?;
        if app.approved.is_none() {
            return Err(Error::LoanState {
                op,
                loan,
                state: "not approved",
            });
        }
        let member = app.member;
        self.active_member(op, member)?;
        let mut terms = app.terms.clone();
        terms.disbursement = d;
        let (state, disb) = Loan::disburse(terms, self.config.loan_options, &self.config.loan_fees)
            .map_err(sl(op))?;
        let fees = Rupiah::try_sum(disb.fees_deducted.iter().map(|(_, x)| *x))?;
        let md = member_dims(member);
        let applied = self.post_entry(
            op,
            d,
            a,
            "Pencairan pinjaman",
            format!("loan:{loan}/disbursement"),
            vec![
                self.line(R::LoanReceivable, Side::Debit, disb.principal, md)?,
                self.line(
                    via_role(via),
                    Side::Credit,
                    disb.net_cash,
                    Dimensions::default(),
                )?,
                self.line(R::FeeIncome, Side::Credit, fees, md)?,
            ],
        )?;
        self.applications.remove(&loan);
        self.loans.insert(
            loan,
            LoanAccount {
                member,
                loan: state,
                class: Collectibility::Current,
            },
        );
        Ok(applied)
    }

    /// Lines of a repayment (without the money side): principal, interest, penalty, fee,
    /// excess (to sukarela).
    fn repayment_lines(&self, member: MemberId, r: &Repayment) -> Result<Vec<Line>> {
        let md = member_dims(member);
        let mut unit_md = md;
        unit_md.unit = Some(BusinessUnit::SimpanPinjam);
        let mut lines = Vec::new();
        for p in &r.penalties_charged {
            lines.push(self.line(R::InterestReceivable, Side::Debit, p.amount, md)?);
            lines.push(self.line(R::PenaltyIncome, Side::Credit, p.amount, md)?);
        }
        lines.push(self.line(R::LoanReceivable, Side::Credit, r.totals.principal, md)?);
        lines.push(self.line(
            R::MemberRevenue(BusinessUnit::SimpanPinjam),
            Side::Credit,
            r.totals.interest,
            unit_md,
        )?);
        lines.push(self.line(R::InterestReceivable, Side::Credit, r.totals.penalty, md)?);
        lines.push(self.line(R::FeeIncome, Side::Credit, r.totals.fee, md)?);
        lines.push(self.line(
            R::MemberSavings(SavingsKind::Voluntary),
            Side::Credit,
            r.excess,
            md,
        )?);
        Ok(lines)
    }

    fn loan_for(&self, op: &'static str, loan: LoanId) -> Result<&LoanAccount> {
        self.loans.get(&loan).ok_or(Error::UnknownLoan { op, loan })
    }

    fn active_loan(&self, op: &'static str, loan: LoanId) -> Result<&LoanAccount> {
        let acct = self.loan_for(op, loan)?;
        if acct.loan.status() == LoanStatus::Active {
            Ok(acct)
        } else {
            Err(Error::LoanState {
                op,
                loan,
                state: "not active",
            })
        }
    }

    fn repay(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        loan: LoanId,
        amount: Rupiah,
        via: Via,
    ) -> Result<Applied> {
        let op = "repay_loan";
        self.permit(a, op, Permission::PostEntry, Subject::Loan(loan))?;
        pos(op, "amount", amount)?;
        let acct = self.active_loan(op, loan)?;
        let member = acct.member;
        let owed = acct.loan.payoff_amount(d).map_err(sl(op))?;
        if amount > owed {
            return Err(Error::Overpayment { op, amount, owed });
        }
        let mut state = acct.loan.clone();
        let r = state.repay(d, amount).map_err(sl(op))?;
        if r.excess.is_positive()
            && self
                .accounts
                .get(&member)
                .is_none_or(|x| x.sukarela.is_closed())
        {
            return Err(Error::Overpayment { op, amount, owed });
        }
        let mut sukarela = None;
        if r.excess.is_positive()
            && let Some(x) = self.accounts.get(&member)
        {
            let mut s = x.sukarela.clone();
            s.deposit(d, r.excess).map_err(sl(op))?;
            sukarela = Some(s);
        }
        let mut lines =
            vec![self.line(via_role(via), Side::Debit, amount, Dimensions::default())?];
        lines.extend(self.repayment_lines(member, &r)?);
        let year = self.year_of(d)?;
        let applied = self.post_entry(
            op,
            d,
            a,
            "Angsuran pinjaman",
            format!("loan:{loan}/repayment/{}", repayment_ref(&r)),
            lines,
        )?;
        if let Some(x) = self.loans.get_mut(&loan) {
            x.loan = state;
        }
        if let (Some(s), Some(x)) = (sukarela, self.accounts.get_mut(&member)) {
            x.sukarela = s;
        }
        self.add_patronage(year, member, |t| {
            t.loan_interest
                .checked_add(r.totals.interest)
                .map(|v| t.loan_interest = v)
        });
        Ok(applied)
    }

    fn add_patronage(
        &mut self,
        year: i32,
        member: MemberId,
        f: impl FnOnce(&mut Transactions) -> core::result::Result<(), koperasi_core::Error>,
    ) {
        let t = self.patronage.entry((year, member)).or_default();
        // Overflow of a member's yearly total is not reachable with Rupiah's range; on the
        // impossible overflow the figure stays as it was.
        let _ = f(t);
    }

    fn charge_penalties(&mut self, d: NaiveDate, a: ActorId, loan: LoanId) -> Result<Applied> {
        let op = "charge_penalties";
        self.permit(a, op, Permission::PostEntry, Subject::Loan(loan))?;
        let acct = self.active_loan(op, loan)?;
        let member = acct.member;
        let mut state = acct.loan.clone();
        let charges = state.charge_penalties(d).map_err(sl(op))?;
        let total = Rupiah::try_sum(charges.iter().map(|c| c.amount))?;
        let md = member_dims(member);
        // No penalty due: a zero amount posts nothing.
        let pair = Pair {
            memo: "Denda keterlambatan",
            source: format!("loan:{loan}/penalty"),
            amount: total,
            debit: Leg::Role(R::InterestReceivable, md),
            credit: Leg::Role(R::PenaltyIncome, md),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        if let Some(x) = self.loans.get_mut(&loan) {
            x.loan = state;
        }
        Ok(applied)
    }

    fn write_off(&mut self, d: NaiveDate, a: ActorId, loan: LoanId) -> Result<Applied> {
        let op = "write_off_loan";
        self.permit(a, op, Permission::ApproveLoan, Subject::Loan(loan))?;
        let acct = self.loan_for(op, loan)?;
        let member = acct.member;
        let mut state = acct.loan.clone();
        let w = state.write_off(d).map_err(sl(op))?;
        let reserve = self.role_balance(R::LoanLossReserve)?.max(Rupiah::ZERO);
        let from_reserve = w.amounts.principal.min(reserve);
        let expense = sub(w.amounts.principal, from_reserve)?;
        let md = member_dims(member);
        let applied = self.post_entry(
            op,
            d,
            a,
            "Hapus buku pinjaman",
            format!("loan:{loan}/write-off"),
            vec![
                self.line(R::LoanLossReserve, Side::Debit, from_reserve, md)?,
                self.line(
                    R::LoanLossExpense,
                    Side::Debit,
                    add(expense, w.amounts.penalty)?,
                    md,
                )?,
                self.line(R::LoanReceivable, Side::Credit, w.amounts.principal, md)?,
                self.line(R::InterestReceivable, Side::Credit, w.amounts.penalty, md)?,
            ],
        )?;
        if let Some(x) = self.loans.get_mut(&loan) {
            x.loan = state;
            x.class = Collectibility::Loss;
        }
        Ok(applied)
    }

    fn recover(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        loan: LoanId,
        amount: Rupiah,
        via: Via,
    ) -> Result<Applied> {
        let op = "recover_loan";
        self.permit(a, op, Permission::PostEntry, Subject::Loan(loan))?;
        pos(op, "amount", amount)?;
        let acct = self.loan_for(op, loan)?;
        let member = acct.member;
        let mut state = acct.loan.clone();
        let r = state.recover(d, amount).map_err(sl(op))?;
        if r.excess.is_positive() {
            return Err(Error::Overpayment {
                op,
                amount,
                owed: r.recovered,
            });
        }
        let pair = Pair {
            memo: "Penagihan pinjaman yang dihapusbukukan",
            source: format!("loan:{loan}/recovery"),
            amount,
            debit: Leg::via(via),
            credit: Leg::Role(R::OtherIncome, member_dims(member)),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        if let Some(x) = self.loans.get_mut(&loan) {
            x.loan = state;
        }
        Ok(applied)
    }

    // ---- trade -----------------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn purchase(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        unit: BusinessUnit,
        sku: &str,
        quantity: u64,
        cost: Rupiah,
        payment: PurchasePayment,
    ) -> Result<Applied> {
        let op = "purchase";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "cost", cost)?;
        if quantity == 0 || sku.trim().is_empty() {
            return Err(Error::InsufficientStock {
                op,
                sku: sku.to_owned(),
                available: 0,
                requested: quantity,
            });
        }
        let key = (unit, sku.to_owned());
        let old = self.stock.get(&key).copied().unwrap_or(Stock {
            quantity: 0,
            value: Rupiah::ZERO,
        });
        let new = Stock {
            quantity: old.quantity.checked_add(quantity).ok_or(Error::Internal {
                op,
                what: "quantity overflow".into(),
            })?,
            value: add(old.value, cost)?,
        };
        let credit = match payment {
            PurchasePayment::OnCredit => R::TradePayable,
            PurchasePayment::Paid(v) => via_role(v),
        };
        let ud = Dimensions {
            unit: Some(unit),
            ..Dimensions::default()
        };
        let pair = Pair {
            memo: &format!("Pembelian {sku}"),
            source: format!("stock:{:02}/{sku}", unit.number()),
            amount: cost,
            debit: Leg::Role(R::Inventory, ud),
            credit: Leg::Role(credit, ud),
        };
        let applied = self.post_pair(op, d, a, pair)?;
        self.stock.insert(key, new);
        Ok(applied)
    }

    #[allow(clippy::too_many_arguments)]
    fn sale(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        unit: BusinessUnit,
        item: &Item,
        price: Rupiah,
        buyer: Buyer,
        debit: R,
        qris: Option<String>,
    ) -> Result<Applied> {
        let op = if qris.is_some() { "qris_sale" } else { "sale" };
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "price", price)?;
        let (revenue, dims) = match buyer {
            Buyer::Member(m) => {
                self.active_member(op, m)?;
                (
                    R::MemberRevenue(unit),
                    Dimensions {
                        unit: Some(unit),
                        counterparty: Some(Counterparty::Member),
                        member: Some(m),
                    },
                )
            }
            Buyer::NonMember => (
                R::NonMemberRevenue(unit),
                Dimensions {
                    unit: Some(unit),
                    counterparty: Some(Counterparty::NonMember),
                    member: None,
                },
            ),
        };
        let mut stock_update = None;
        let mut cost = Rupiah::ZERO;
        if let Item::Goods { sku, quantity } = item {
            let key = (unit, sku.clone());
            let s = self.stock.get(&key).copied().unwrap_or(Stock {
                quantity: 0,
                value: Rupiah::ZERO,
            });
            if *quantity == 0 || *quantity > s.quantity {
                return Err(Error::InsufficientStock {
                    op,
                    sku: sku.clone(),
                    available: s.quantity,
                    requested: *quantity,
                });
            }
            cost = if *quantity == s.quantity {
                s.value
            } else {
                s.value
                    .mul_div(Decimal::from(*quantity), Decimal::from(s.quantity), WHOLE)?
            };
            let left = Stock {
                quantity: s.quantity.saturating_sub(*quantity),
                value: sub(s.value, cost)?,
            };
            stock_update = Some((key, left));
        }
        let (memo, source) = match &qris {
            Some(r) => ("Penjualan QRIS".to_owned(), format!("qris:{r}")),
            None => (
                format!("Penjualan unit {:02}", unit.number()),
                format!("sale:{:02}", unit.number()),
            ),
        };
        let ud = Dimensions {
            unit: Some(unit),
            ..Dimensions::default()
        };
        let lines = vec![
            self.line(debit, Side::Debit, price, ud)?,
            self.line(revenue, Side::Credit, price, dims)?,
            self.line(R::CostOfSales(unit), Side::Debit, cost, dims)?,
            self.line(R::Inventory, Side::Credit, cost, ud)?,
        ];
        let year = self.year_of(d)?;
        let applied = self.post_entry(op, d, a, &memo, source, lines)?;
        if let Some((k, s)) = stock_update {
            self.stock.insert(k, s);
        }
        if let Some(r) = qris {
            self.qris_seen.insert(r.clone());
            self.qris_pending.insert(
                r,
                PendingQris {
                    date: d,
                    amount: price,
                },
            );
        }
        if let Buyer::Member(m) = buyer {
            self.add_patronage(year, m, |t| {
                t.purchases.checked_add(price).map(|v| t.purchases = v)
            });
        }
        Ok(applied)
    }

    fn qris_sale(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        unit: BusinessUnit,
        item: &Item,
        buyer: Buyer,
        payload: &str,
    ) -> Result<Applied> {
        let op = "qris_sale";
        let q = koperasi_qris::Qris::parse(payload).map_err(|source| Error::Qris { op, source })?;
        if !q.is_dynamic() {
            return Err(Error::QrisIncomplete {
                op,
                what: "dynamic point of initiation (12)",
            });
        }
        let amount = q.amount_decimal().ok_or(Error::QrisIncomplete {
            op,
            what: "amount (54)",
        })?;
        let price = Rupiah::new(amount)?;
        let reference = q
            .bill_number()
            .or_else(|| q.reference_label())
            .filter(|r| !r.is_empty())
            .ok_or(Error::QrisIncomplete {
                op,
                what: "bill number or reference label (62)",
            })?
            .to_owned();
        if self.qris_seen.contains(&reference) {
            return Err(Error::Duplicate {
                op,
                what: "QRIS reference",
                id: reference,
            });
        }
        self.sale(
            d,
            a,
            unit,
            item,
            price,
            buyer,
            R::QrisReceivable,
            Some(reference),
        )
    }

    fn settle_qris(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        references: &[String],
        fee: Rupiah,
    ) -> Result<Applied> {
        let op = "settle_qris";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        if fee.is_negative() {
            return Err(Error::NonPositive {
                op,
                what: "fee (may be zero)",
                amount: fee,
            });
        }
        let mut seen = BTreeSet::new();
        let mut gross = Rupiah::ZERO;
        for r in references {
            let p = self.qris_pending.get(r).filter(|_| seen.insert(r.as_str()));
            let p = p.ok_or_else(|| Error::UnknownQrisReference {
                op,
                reference: r.clone(),
            })?;
            gross = add(gross, p.amount)?;
        }
        pos(op, "settled amount", gross)?;
        if fee >= gross {
            return Err(Error::Overpayment {
                op,
                amount: fee,
                owed: gross,
            });
        }
        let source = format!(
            "qris-settlement:{}",
            references.first().map_or("", String::as_str)
        );
        let applied = self.post_entry(
            op,
            d,
            a,
            "Settlement QRIS",
            source,
            vec![
                self.line(
                    R::Bank,
                    Side::Debit,
                    sub(gross, fee)?,
                    Dimensions::default(),
                )?,
                self.line(R::QrisFeeExpense, Side::Debit, fee, Dimensions::default())?,
                self.line(
                    R::QrisReceivable,
                    Side::Credit,
                    gross,
                    Dimensions::default(),
                )?,
            ],
        )?;
        for r in references {
            self.qris_pending.remove(r);
        }
        Ok(applied)
    }

    #[allow(clippy::too_many_arguments)]
    fn expense(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        account: &str,
        amount: Rupiah,
        unit: Option<BusinessUnit>,
        via: Via,
        memo: &str,
    ) -> Result<Applied> {
        let op = "expense";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "amount", amount)?;
        let ok = self
            .ledger
            .chart()
            .get(account)
            .is_some_and(|x| x.postable && x.open && x.class == AccountClass::Expense);
        if !ok {
            return Err(Error::NotExpenseAccount {
                op,
                code: account.to_owned(),
            });
        }
        let dims = Dimensions {
            unit,
            ..Dimensions::default()
        };
        let pair = Pair {
            memo,
            source: format!("expense:{account}"),
            amount,
            debit: Leg::Account(account, dims),
            credit: Leg::via(via),
        };
        self.post_pair(op, d, a, pair)
    }

    fn acquire_asset(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        account: &str,
        amount: Rupiah,
        via: Via,
        memo: &str,
    ) -> Result<Applied> {
        let op = "acquire_asset";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "amount", amount)?;
        let non_current = self.ledger.chart().get(account).is_some_and(|x| {
            x.postable
                && x.open
                && x.class == AccountClass::Asset
                && !x.contra
                && account.starts_with("1-2")
        });
        if !non_current {
            return Err(Error::NotAssetAccount {
                op,
                code: account.to_owned(),
            });
        }
        let pair = Pair {
            memo,
            source: format!("asset:{account}"),
            amount,
            debit: Leg::Account(account, Dimensions::default()),
            credit: Leg::via(via),
        };
        self.post_pair(op, d, a, pair)
    }

    // ---- Himbara -----------------------------------------------------------------------

    fn himbara_drawdown(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        principal: Rupiah,
        operational: Rupiah,
        tenor: u32,
        grace: u32,
    ) -> Result<Applied> {
        let op = "himbara_drawdown";
        self.permit(a, op, Permission::ApproveLoan, Subject::Cooperative)?;
        if self
            .himbara
            .as_ref()
            .is_some_and(|l| l.status() == LoanStatus::Active)
        {
            return Err(Error::HimbaraState {
                op,
                state: "a Himbara loan is already outstanding",
            });
        }
        let terms = HimbaraProfile::pmk_49_2025()
            .terms(principal, operational, tenor, grace, GraceInterest::Paid, d)
            .map_err(sl(op))?;
        let (state, disb) = Loan::disburse(terms, LoanOptions::default(), &[]).map_err(sl(op))?;
        let applied = self.post_entry(
            op,
            d,
            a,
            "Pencairan pinjaman Himbara (PMK 49/2025)",
            "himbara:drawdown".into(),
            vec![
                self.line(R::Bank, Side::Debit, disb.net_cash, Dimensions::default())?,
                self.line(
                    R::HimbaraLoan,
                    Side::Credit,
                    disb.principal,
                    Dimensions::default(),
                )?,
            ],
        )?;
        self.himbara = Some(state);
        Ok(applied)
    }

    fn himbara_installment(&mut self, d: NaiveDate, a: ActorId, amount: Rupiah) -> Result<Applied> {
        let op = "himbara_installment";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        pos(op, "amount", amount)?;
        let l = self
            .himbara
            .as_ref()
            .filter(|l| l.status() == LoanStatus::Active)
            .ok_or(Error::HimbaraState {
                op,
                state: "no Himbara loan outstanding",
            })?;
        let owed = l.payoff_amount(d).map_err(sl(op))?;
        if amount > owed {
            return Err(Error::Overpayment { op, amount, owed });
        }
        let mut state = l.clone();
        let r = state.repay(d, amount).map_err(sl(op))?;
        let interest = add(add(r.totals.interest, r.totals.penalty)?, r.totals.fee)?;
        let applied = self.post_entry(
            op,
            d,
            a,
            "Angsuran pinjaman Himbara",
            format!("himbara:installment/{}", repayment_ref(&r)),
            vec![
                self.line(
                    R::HimbaraLoan,
                    Side::Debit,
                    r.totals.principal,
                    Dimensions::default(),
                )?,
                self.line(
                    R::BankInterestExpense,
                    Side::Debit,
                    interest,
                    Dimensions::default(),
                )?,
                self.line(
                    R::Bank,
                    Side::Credit,
                    sub(amount, r.excess)?,
                    Dimensions::default(),
                )?,
            ],
        )?;
        self.himbara = Some(state);
        Ok(applied)
    }

    // ---- month end ---------------------------------------------------------------------

    fn month_end(&mut self, d: NaiveDate, a: ActorId) -> Result<Applied> {
        let op = "month_end";
        self.permit(a, op, Permission::ClosePeriod, Subject::Cooperative)?;
        if month_end(d.year(), d.month())? != d {
            return Err(Error::MonthEnd {
                op,
                reason: format!("{d} is not a month's last day"),
            });
        }
        if self.last_month_end.is_some_and(|l| l >= d) {
            return Err(Error::MonthEnd {
                op,
                reason: format!("month-end {d} already run"),
            });
        }
        let mut dr = Draft::new();
        // 1. Savings interest on sukarela (credited less tax).
        let mut new_sukarela = Vec::new();
        let mut interest_lines = Vec::new();
        let (mut gross, mut tax) = (Rupiah::ZERO, Rupiah::ZERO);
        for (m, x) in &self.accounts {
            if x.sukarela.is_closed() || x.sukarela.product().interest.is_none() {
                continue;
            }
            let mut s = x.sukarela.clone();
            let p = s.close_interest_period(d).map_err(sl(op))?;
            if p.posted && p.gross.is_positive() {
                gross = add(gross, p.gross)?;
                tax = add(tax, p.tax_withheld)?;
                interest_lines.push(self.line(
                    R::MemberSavings(SavingsKind::Voluntary),
                    Side::Credit,
                    p.net,
                    member_dims(*m),
                )?);
            }
            new_sukarela.push((*m, s));
        }
        if gross.is_positive() {
            let mut lines = vec![self.line(
                R::SavingsInterestExpense,
                Side::Debit,
                gross,
                Dimensions::default(),
            )?];
            lines.append(&mut interest_lines);
            lines.push(self.line(R::TaxPayable, Side::Credit, tax, Dimensions::default())?);
            dr.push(
                self,
                d,
                a,
                "Jasa simpanan sukarela",
                format!("month-end:{d}/savings-interest"),
                lines,
            );
        }
        // 2. Penalties, 3. accrual, 4. collectibility and reserve — loan by loan.
        let mut new_loans = Vec::new();
        let mut penalty_lines = Vec::new();
        let mut accrual_lines = Vec::new();
        let mut portfolio = Vec::new();
        for (id, l) in &self.loans {
            if l.loan.status() != LoanStatus::Active {
                continue;
            }
            let mut s = l.loan.clone();
            let md = member_dims(l.member);
            let charged = Rupiah::try_sum(
                s.charge_penalties(d)
                    .map_err(sl(op))?
                    .iter()
                    .map(|c| c.amount),
            )?;
            if charged.is_positive() {
                penalty_lines.push(self.line(R::InterestReceivable, Side::Debit, charged, md)?);
                penalty_lines.push(self.line(R::PenaltyIncome, Side::Credit, charged, md)?);
            }
            let class = s.classify(d, &CollateralInfo::default()).map_err(sl(op))?;
            let outstanding = s.outstanding_principal().map_err(sl(op))?;
            portfolio.push(PortfolioLine {
                class,
                outstanding,
                eligible_collateral: Rupiah::ZERO,
            });
            if matches!(class, Collectibility::Current | Collectibility::Substandard) {
                let due = s.arrears(d).map_err(sl(op))?.interest;
                if due.is_positive() {
                    let mut umd = md;
                    umd.unit = Some(BusinessUnit::SimpanPinjam);
                    accrual_lines.push(self.line(R::InterestReceivable, Side::Debit, due, md)?);
                    accrual_lines.push(self.line(
                        R::MemberRevenue(BusinessUnit::SimpanPinjam),
                        Side::Credit,
                        due,
                        umd,
                    )?);
                }
            }
            new_loans.push((*id, s, class));
        }
        if !penalty_lines.is_empty() {
            dr.push(
                self,
                d,
                a,
                "Denda keterlambatan",
                format!("month-end:{d}/penalties"),
                penalty_lines,
            );
        }
        if !self.accrual.is_empty() {
            let reversal: Vec<Line> = self
                .accrual
                .iter()
                .cloned()
                .map(|mut l| {
                    l.side = l.side.opposite();
                    l
                })
                .collect();
            dr.push(
                self,
                d,
                a,
                "Pembalikan akrual jasa pinjaman",
                format!("month-end:{d}/accrual-reversal"),
                reversal,
            );
        }
        if !accrual_lines.is_empty() {
            dr.push(
                self,
                d,
                a,
                "Akrual jasa pinjaman tertunggak",
                format!("month-end:{d}/accrual"),
                accrual_lines.clone(),
            );
        }
        let required = required_reserve(&portfolio, &self.config.reserve_rates).map_err(sl(op))?;
        let current = self.role_balance(R::LoanLossReserve)?;
        let adj = sub(required.total, current)?;
        if !adj.is_zero() {
            let (dside, cside) = if adj.is_positive() {
                (Side::Debit, Side::Credit)
            } else {
                (Side::Credit, Side::Debit)
            };
            dr.push(
                self,
                d,
                a,
                "Penyisihan kerugian pinjaman (PPAP)",
                format!("month-end:{d}/reserve"),
                vec![
                    self.line(R::LoanLossExpense, dside, adj.abs(), Dimensions::default())?,
                    self.line(R::LoanLossReserve, cside, adj.abs(), Dimensions::default())?,
                ],
            );
        }
        let applied = self.post(op, &dr)?;
        for (m, s) in new_sukarela {
            if let Some(x) = self.accounts.get_mut(&m) {
                x.sukarela = s;
            }
        }
        for (id, s, class) in new_loans {
            if let Some(x) = self.loans.get_mut(&id) {
                x.loan = s;
                x.class = class;
            }
        }
        self.accrual = accrual_lines;
        self.last_month_end = Some(d);
        Ok(applied)
    }

    // ---- exit -------------------------------------------------------------------------

    fn exit(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        member: MemberId,
        reason: &str,
    ) -> Result<Applied> {
        let op = "member_exit";
        self.permit(a, op, Permission::ManageMembers, Subject::Member(member))?;
        let m = self
            .registry
            .get(member)
            .ok_or(Error::UnknownMember { op, member })?;
        if m.status() != MemberStatus::Member {
            return Err(Error::NotActiveMember { op, member });
        }
        if d < m.last_change_on() {
            return Err(Error::DateOutOfOrder {
                op,
                date: d,
                last: m.last_change_on(),
            });
        }
        if reason.trim().is_empty() {
            return Err(Error::MemberBlocked {
                op,
                member,
                reason: "a reason is required",
            });
        }
        if self
            .deposits
            .values()
            .any(|(x, acc)| *x == member && !acc.is_closed())
        {
            return Err(Error::MemberBlocked {
                op,
                member,
                reason: "has an open simpanan berjangka",
            });
        }
        let accts = self.accounts.get(&member).ok_or(Error::NoSavingsAccount {
            op,
            member,
            kind: "pokok",
        })?;
        let mut obligations = Vec::new();
        let mut open = Vec::new();
        for (id, l) in self
            .loans
            .iter()
            .filter(|(_, l)| l.member == member && l.loan.status() == LoanStatus::Active)
        {
            let owed = l.loan.payoff_amount(d).map_err(sl(op))?;
            obligations.push(Obligation::Loan(*id, owed));
            open.push((*id, l.loan.clone(), owed));
        }
        let s = exit_settlement(&[&accts.pokok, &accts.wajib, &accts.sukarela], &obligations)
            .map_err(sl(op))?;
        let md = member_dims(member);
        let mut lines = Vec::new();
        let mut closed = accts.clone();
        for (kind, acc) in [
            (SavingsKind::Principal, &mut closed.pokok),
            (SavingsKind::Mandatory, &mut closed.wajib),
            (SavingsKind::Voluntary, &mut closed.sukarela),
        ] {
            let bal = acc.balance();
            if !acc.is_closed() {
                acc.close_on_exit(d).map_err(sl(op))?;
            }
            lines.push(self.line(R::MemberSavings(kind), Side::Debit, bal, md)?);
        }
        let mut remaining = s.set_off;
        let mut repaid = Vec::new();
        let mut interest = Rupiah::ZERO;
        for (id, mut state, owed) in open {
            let pay = remaining.min(owed);
            if pay.is_positive() {
                let r = state.repay(d, pay).map_err(sl(op))?;
                remaining = sub(remaining, pay)?;
                interest = add(interest, r.totals.interest)?;
                let mut rl = self.repayment_lines(member, &r)?;
                // No excess: the set-off never exceeds the payoff amount.
                rl.retain(|l| {
                    !(l.side == Side::Credit
                        && l.account.as_str()
                            == self.code(R::MemberSavings(SavingsKind::Voluntary)))
                });
                lines.extend(rl);
                repaid.push((id, state));
            }
        }
        lines.push(self.line(R::ExitRefundPayable, Side::Credit, s.refund, md)?);
        let year = self.year_of(d)?;
        let applied = self.post_entry(
            op,
            d,
            a,
            "Anggota keluar: pengembalian simpanan dan kompensasi pinjaman",
            format!("member:{member}/exit"),
            lines,
        )?;
        self.accounts.insert(member, closed);
        for (id, state) in repaid {
            if let Some(x) = self.loans.get_mut(&id) {
                x.loan = state;
            }
        }
        self.add_patronage(year, member, |t| {
            t.loan_interest
                .checked_add(interest)
                .map(|v| t.loan_interest = v)
        });
        self.departed.entry(year).or_default().insert(member);
        if let Err(e) = self.registry.resign(member, d, reason) {
            return Err(Error::Internal {
                op,
                what: format!("registry rejected a pre-checked exit: {e}"),
            });
        }
        Ok(applied)
    }

    // ---- year end and SHU ------------------------------------------------------------

    fn close_year(&mut self, d: NaiveDate, a: ActorId, year: i32) -> Result<Applied> {
        let op = "close_year";
        self.permit(a, op, Permission::ClosePeriod, Subject::Cooperative)?;
        let fy = FiscalYear::new(year, self.config.fiscal_start_month)?;
        if d < fy.end() {
            return Err(Error::YearState {
                op,
                year,
                reason: "the year has not ended",
            });
        }
        if self.closed.contains_key(&year) {
            return Err(Error::YearState {
                op,
                year,
                reason: "already closed",
            });
        }
        let shu_code = AccountCode::new(self.code(R::ShuCurrentYear)).map_err(ledger(op))?;
        let close = YearClose::new(fy, self.next_id(0), shu_code.clone(), a);
        let preview = self.ledger.closing_entry(&close).map_err(ledger(op))?;
        let (mut shu, mut revenue, mut non_member) = (Rupiah::ZERO, Rupiah::ZERO, Rupiah::ZERO);
        if let Some(e) = &preview {
            for l in &e.lines {
                if l.account == shu_code {
                    shu = if l.side == Side::Credit {
                        l.amount
                    } else {
                        l.amount.negated()
                    };
                } else if self
                    .ledger
                    .chart()
                    .get(l.account.as_str())
                    .is_some_and(|x| x.class == AccountClass::Revenue)
                {
                    // Revenue is closed by a debit (a credit for a debit-balance group).
                    let signed = if l.side == Side::Debit {
                        l.amount
                    } else {
                        l.amount.negated()
                    };
                    revenue = add(revenue, signed)?;
                    if l.dims.counterparty == Some(Counterparty::NonMember) {
                        non_member = add(non_member, signed)?;
                    }
                }
            }
        }
        let from_non_members =
            if shu.is_positive() && revenue.is_positive() && non_member.is_positive() {
                let down = WHOLE.with_mode(koperasi_core::RoundingMode::Down);
                shu.mul_div(non_member.to_decimal(), revenue.to_decimal(), down)?
                    .min(shu)
            } else {
                Rupiah::ZERO
            };
        let mut savings = BTreeMap::new();
        for (m, x) in &self.accounts {
            if self
                .registry
                .get(*m)
                .is_some_and(|r| r.status() == MemberStatus::Member)
            {
                savings.insert(
                    *m,
                    Savings {
                        pokok: x.pokok.balance(),
                        wajib: x.wajib.balance(),
                        sukarela: x.sukarela.balance(),
                    },
                );
            }
        }
        let id = self.ledger.close_year(close).map_err(ledger(op))?;
        if id.is_some() {
            self.entry_seq = self.entry_seq.saturating_add(1);
        }
        let departed = self.departed.get(&year).cloned().unwrap_or_default();
        self.closed.insert(
            year,
            ClosedYear {
                year: fy,
                shu,
                from_non_members,
                savings,
                departed,
                distributed: false,
                distributed_on: None,
                allocation: Vec::new(),
            },
        );
        Ok(Applied {
            entries: id.into_iter().collect(),
        })
    }

    fn distribute_shu(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        year: i32,
        payout: ShuPayout,
    ) -> Result<Applied> {
        let op = "distribute_shu";
        self.permit(a, op, Permission::RunShu, Subject::Cooperative)?;
        let c = self.closed.get(&year).ok_or(Error::YearState {
            op,
            year,
            reason: "not closed",
        })?;
        if c.distributed {
            return Err(Error::YearState {
                op,
                year,
                reason: "SHU already distributed",
            });
        }
        let source = format!("shu:{year}");
        let mut dr = Draft::new();
        let mut new_sukarela = Vec::new();
        let mut allocation = Vec::new();
        if c.shu.is_negative() {
            dr.push(
                self,
                d,
                a,
                &format!("Rugi tahun buku {year} dibawa ke tahun berikut"),
                source,
                vec![
                    self.line(
                        R::ShuUndistributed,
                        Side::Debit,
                        c.shu.abs(),
                        Dimensions::default(),
                    )?,
                    self.line(
                        R::ShuCurrentYear,
                        Side::Credit,
                        c.shu.abs(),
                        Dimensions::default(),
                    )?,
                ],
            );
        } else if c.shu.is_positive() {
            let mut contributions = Vec::new();
            let mut keys: BTreeSet<MemberId> = c.savings.keys().copied().collect();
            keys.extend(
                self.patronage
                    .range((year, MemberId::from_u128(0))..=(year, MemberId::from_u128(u128::MAX)))
                    .map(|((_, m), _)| *m),
            );
            for m in keys {
                let savings = c.savings.get(&m).copied().unwrap_or_default();
                let tx = self.patronage.get(&(year, m)).cloned().unwrap_or_default();
                let mut mc = MemberContribution::new(m, savings, tx);
                if c.departed.contains(&m) || !c.savings.contains_key(&m) {
                    mc = mc.departed();
                }
                contributions.push(mc);
            }
            let sy = ShuYear::new(c.shu).with_non_member_part(c.from_non_members);
            let outcome = koperasi_shu::distribute(&self.config.shu_policy, &sy, &contributions)
                .map_err(shu(op))?;
            let ShuOutcome::Distributed(dist) = outcome else {
                return Err(Error::Internal {
                    op,
                    what: "a positive SHU was not distributed".into(),
                });
            };
            let nd = Dimensions::default();
            let mut lines = vec![self.line(R::ShuCurrentYear, Side::Debit, c.shu, nd)?];
            let mut credited = Rupiah::ZERO;
            for l in &dist.lines {
                allocation.push((l.name.clone(), l.amount));
                let role = match l.kind {
                    LineKind::Reserve => R::Reserve,
                    LineKind::ManagementFund => R::ManagementFund,
                    LineKind::EmployeeFund => R::EmployeeFund,
                    LineKind::EducationFund => R::EducationFund,
                    LineKind::SocialFund => R::SocialFund,
                    LineKind::RegionalDevelopmentFund => R::RegionalDevelopmentFund,
                    LineKind::VillageShare => R::VillageSharePayable,
                    LineKind::CapitalPool | LineKind::PatronagePool => {
                        // The pool goes to the members (below); unpaid shares stay payable;
                        // any non-member part of a pool line goes to cadangan.
                        let pool = dist.pools.iter().find(|p| p.line == l.name);
                        let (amount, unpaid) =
                            pool.map_or((Rupiah::ZERO, Rupiah::ZERO), |p| (p.amount, p.unpaid));
                        let rest = sub(l.amount, amount)?;
                        lines.push(self.line(R::MemberShuPayable, Side::Credit, unpaid, nd)?);
                        lines.push(self.line(R::Reserve, Side::Credit, rest, nd)?);
                        credited = add(add(credited, unpaid)?, rest)?;
                        continue;
                    }
                    _ => R::ShuUndistributed,
                };
                let booked = l.booked().map_err(shu(op))?;
                lines.push(self.line(role, Side::Credit, booked, nd)?);
                credited = add(credited, booked)?;
            }
            for ms in &dist.members {
                let md = member_dims(ms.id);
                let to_savings = payout == ShuPayout::Voluntary
                    && self
                        .accounts
                        .get(&ms.id)
                        .is_some_and(|x| !x.sukarela.is_closed());
                if to_savings && ms.total.is_positive() {
                    if let Some(x) = self.accounts.get(&ms.id) {
                        let mut s = x.sukarela.clone();
                        s.deposit(d, ms.total).map_err(sl(op))?;
                        new_sukarela.push((ms.id, s));
                    }
                    lines.push(self.line(
                        R::MemberSavings(SavingsKind::Voluntary),
                        Side::Credit,
                        ms.total,
                        md,
                    )?);
                } else {
                    lines.push(self.line(R::MemberShuPayable, Side::Credit, ms.total, md)?);
                }
                credited = add(credited, ms.total)?;
            }
            if credited != c.shu {
                return Err(Error::Internal {
                    op,
                    what: format!("SHU {} booked as {credited}", c.shu),
                });
            }
            dr.push(
                self,
                d,
                a,
                &format!("Pembagian SHU tahun buku {year}"),
                source,
                lines,
            );
        }
        let applied = self.post(op, &dr)?;
        for (m, s) in new_sukarela {
            if let Some(x) = self.accounts.get_mut(&m) {
                x.sukarela = s;
            }
        }
        if let Some(c) = self.closed.get_mut(&year) {
            c.distributed = true;
            c.distributed_on = Some(d);
            c.allocation = allocation;
        }
        Ok(applied)
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

fn voluntary_product(config: &BookConfig) -> Result<SavingsProduct> {
    let interest = match config.sukarela_interest_percent {
        Some(p) => Some(InterestPolicy::new(
            Rate::per_year(p)?,
            BalanceMethod::Daily,
        )),
        None => None,
    };
    Ok(SavingsProduct::voluntary(config.sukarela_minimum, interest))
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
