//! Operations and the event log.
//!
//! Every change to a [`Koperasi`](crate::Koperasi) book is an [`Event`]: who ([`ActorId`]),
//! when (the accounting date) and what ([`Operation`]). The book records each event it
//! applied successfully; replaying the events on a fresh book opened with the same
//! [`BookConfig`](crate::BookConfig) rebuilds an identical book — the same balances, the same
//! audit root. With the `serde` feature (on by default) the log is saved and loaded as JSON
//! Lines ([`to_json_lines`](crate::Koperasi::to_json_lines),
//! [`from_json_lines`](crate::Koperasi::from_json_lines)): the seam where an embedder plugs in
//! persistence.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, Decimal, LoanId, MemberId, Rupiah, SavingsAccountId};
use koperasi_ledger::BusinessUnit;
use koperasi_membership::Role;
use koperasi_savings_loans::{LoanTerms, SavingsKind};

/// Where money comes from or goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Via {
    /// Kas (cash on hand).
    #[default]
    Cash,
    /// The cooperative's bank account.
    Bank,
}

/// How a purchase of goods is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PurchasePayment {
    /// Paid now, in cash or from the bank.
    Paid(Via),
    /// On credit (utang usaha).
    OnCredit,
}

/// Who buys in a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Buyer {
    /// An anggota (partisipasi anggota; counts for jasa usaha).
    Member(MemberId),
    /// Anyone else (pendapatan dari non-anggota).
    NonMember,
}

/// What is sold: goods from stock (with HPP), or a service (no stock).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Item {
    /// `quantity` of the stock item `sku` of the unit.
    Goods {
        /// The stock item.
        sku: String,
        /// How many.
        quantity: u64,
    },
    /// A service (klinik, pergudangan, logistik, layanan kantor).
    Service,
}

/// Where a member's SHU goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ShuPayout {
    /// To *utang SHU anggota* (paid out later).
    #[default]
    Payable,
    /// Credited to the member's simpanan sukarela (payable if the account is closed).
    Voluntary,
}

/// Equity received from outside the members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum CapitalKind {
    /// Hibah / donasi.
    Grant,
    /// Modal penyertaan.
    Participation,
}

/// One operation on the book. Each is validated, permission-checked, computed by the domain
/// crates and posted atomically; see [`Koperasi::apply`](crate::Koperasi::apply).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "op", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Operation {
    /// Give `grantee` a role (needs `ManageAccess`).
    GrantRole {
        /// Who receives the role.
        grantee: ActorId,
        /// The role.
        role: Role,
    },
    /// Register a calon anggota (needs `ManageMembers`). No money moves.
    #[doc(alias = "pendaftaran calon anggota")]
    RegisterMember {
        /// The id the caller minted.
        member: MemberId,
        /// The NIK from the KTP.
        nik: String,
        /// Full name.
        name: String,
        /// Birth date as on the KTP.
        birth_date: NaiveDate,
    },
    /// Pay simpanan pokok: the calon anggota becomes anggota; the member's pokok, wajib and
    /// sukarela accounts are opened (needs `RecordSavings`).
    #[doc(alias = "setoran simpanan pokok")]
    PayPrincipalSavings {
        /// The member.
        member: MemberId,
        /// Cash or bank.
        via: Via,
    },
    /// Deposit simpanan wajib or sukarela (needs `RecordSavings`).
    #[doc(alias = "setoran simpanan")]
    Deposit {
        /// The member.
        member: MemberId,
        /// `Mandatory` or `Voluntary`.
        kind: SavingsKind,
        /// The amount.
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// Withdraw simpanan sukarela (needs `RecordSavings`).
    #[doc(alias = "penarikan simpanan")]
    Withdraw {
        /// The member.
        member: MemberId,
        /// The amount.
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// Open a simpanan berjangka (needs `RecordSavings`).
    #[doc(alias = "simpanan berjangka")]
    OpenTimeDeposit {
        /// The new account's id.
        account: SavingsAccountId,
        /// The member.
        member: MemberId,
        /// The amount.
        amount: Rupiah,
        /// The term.
        term_months: u32,
        /// Interest, percent per year.
        annual_percent: Decimal,
        /// Cash or bank.
        via: Via,
    },
    /// Pay out a simpanan berjangka, at maturity or early (needs `RecordSavings`).
    WithdrawTimeDeposit {
        /// The account.
        account: SavingsAccountId,
        /// Cash or bank.
        via: Via,
    },
    /// A loan application (needs `PostEntry`). No money moves.
    #[doc(alias = "pengajuan pinjaman")]
    ApplyLoan {
        /// The id the caller minted.
        loan: LoanId,
        /// The borrower.
        member: MemberId,
        /// The terms (the disbursement date is replaced by the disbursement's date).
        terms: LoanTerms,
    },
    /// Approve an application (needs `ApproveLoan`; maker-checker above the limit: the
    /// actor is the maker, `checker` the second person).
    #[doc(alias = "persetujuan pinjaman")]
    ApproveLoan {
        /// The loan.
        loan: LoanId,
        /// The second person, when maker-checker applies.
        checker: Option<ActorId>,
    },
    /// Disburse an approved loan, charging the configured fees (needs `DisburseLoan`).
    #[doc(alias = "pencairan pinjaman")]
    DisburseLoan {
        /// The loan.
        loan: LoanId,
        /// Cash or bank.
        via: Via,
    },
    /// A repayment (needs `PostEntry`): penalties due are charged first, then the payment is
    /// allocated by the loan's order (default penalty → interest → principal).
    #[doc(alias = "angsuran")]
    RepayLoan {
        /// The loan.
        loan: LoanId,
        /// The amount (at most the payoff amount).
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// Charge late penalties due on a loan up to the date (needs `PostEntry`).
    #[doc(alias = "denda")]
    ChargePenalties {
        /// The loan.
        loan: LoanId,
    },
    /// Write a loan off against the reserve (needs `ApproveLoan`).
    #[doc(alias = "hapus buku")]
    WriteOffLoan {
        /// The loan.
        loan: LoanId,
    },
    /// Money received on a written-off loan (needs `PostEntry`).
    #[doc(alias = "penagihan kembali")]
    RecoverLoan {
        /// The loan.
        loan: LoanId,
        /// The amount (at most what remains written off).
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// Buy goods into a unit's stock (needs `PostEntry`).
    #[doc(alias = "pembelian")]
    Purchase {
        /// The unit.
        unit: BusinessUnit,
        /// The stock item.
        sku: String,
        /// How many.
        quantity: u64,
        /// Total cost.
        cost: Rupiah,
        /// Paid now or on credit.
        payment: PurchasePayment,
    },
    /// Pay suppliers (utang usaha) (needs `PostEntry`).
    PaySupplier {
        /// The amount.
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// Sell goods or a service, paid now (needs `PostEntry`).
    #[doc(alias = "penjualan")]
    Sale {
        /// The unit.
        unit: BusinessUnit,
        /// What is sold.
        item: Item,
        /// The price (total).
        price: Rupiah,
        /// Member or non-member.
        buyer: Buyer,
        /// Cash or bank.
        via: Via,
    },
    /// A sale paid by QRIS: the dynamic payload gives the amount and the reference; booked to
    /// the receivable from the payment provider (needs `PostEntry`).
    QrisSale {
        /// The unit.
        unit: BusinessUnit,
        /// What is sold.
        item: Item,
        /// Member or non-member.
        buyer: Buyer,
        /// The dynamic QRIS payload shown to the customer.
        payload: String,
    },
    /// The payment provider settles QRIS sales to the bank, less its fee (MDR) (needs
    /// `PostEntry`).
    SettleQris {
        /// The sales' references.
        references: Vec<String>,
        /// The provider's fee.
        fee: Rupiah,
    },
    /// An operating expense (needs `PostEntry`).
    #[doc(alias = "beban")]
    Expense {
        /// An open expense account of the chart (e.g. `6-1-01` beban gaji).
        account: String,
        /// The amount.
        amount: Rupiah,
        /// The unit, if the expense belongs to one.
        unit: Option<BusinessUnit>,
        /// Cash or bank.
        via: Via,
        /// What it is (memo).
        memo: String,
    },
    /// Move money between kas and the bank (setoran / penarikan bank) (needs `PostEntry`).
    Transfer {
        /// From.
        from: Via,
        /// To (must differ).
        to: Via,
        /// The amount.
        amount: Rupiah,
    },
    /// Buy a non-current asset (gerai, cold storage, kendaraan, peralatan) (needs
    /// `PostEntry`).
    #[doc(alias = "pembelian aset tetap")]
    AcquireAsset {
        /// An open non-current asset account of the chart (e.g. `1-2-03` gudang dan cold
        /// storage).
        account: String,
        /// The cost.
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
        /// What it is (memo).
        memo: String,
    },
    /// Hibah or modal penyertaan received (needs `PostEntry`).
    Capital {
        /// Which.
        kind: CapitalKind,
        /// The amount.
        amount: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// Draw the Himbara loan (PMK 49/2025) into the bank (needs `ApproveLoan`).
    #[doc(alias = "pinjaman Himbara")]
    HimbaraDrawdown {
        /// Plafon.
        principal: Rupiah,
        /// Of which for operating expenses (≤ Rp500 juta).
        operational: Rupiah,
        /// Tenor in months (≤ 72, grace included).
        tenor_months: u32,
        /// Grace on principal (6–8 months).
        grace_months: u32,
    },
    /// Pay a Himbara installment from the bank (needs `PostEntry`).
    HimbaraInstallment {
        /// The amount (at most the payoff amount).
        amount: Rupiah,
    },
    /// Month-end on the month's last day (needs `ClosePeriod`): savings interest, late
    /// penalties, loan interest accrual (the previous one reversed), collectibility and the
    /// loss reserve (PPAP).
    #[doc(alias = "tutup bulan")]
    MonthEnd,
    /// A member leaves: savings set off against loans, the rest owed as a refund (needs
    /// `ManageMembers`).
    #[doc(alias = "anggota keluar")]
    MemberExit {
        /// The member.
        member: MemberId,
        /// Why (recorded in the registry).
        reason: String,
    },
    /// Close a fiscal year (needs `ClosePeriod`).
    #[doc(alias = "tutup buku")]
    CloseYear {
        /// The fiscal year (named by the calendar year it starts in).
        year: i32,
    },
    /// Distribute a closed year's SHU (needs `RunShu`).
    #[doc(alias = "pembagian SHU")]
    DistributeShu {
        /// The closed fiscal year.
        year: i32,
        /// Payable or credited to sukarela.
        payout: ShuPayout,
    },
    /// Buy a fixed asset into the asset register (needs `PostEntry`): depreciated straight
    /// line from the month of acquisition by every [`Operation::MonthEnd`].
    #[doc(alias = "pembelian aset tetap")]
    AcquireFixedAsset {
        /// The asset's tag in the register (nomor inventaris), unique.
        asset: String,
        /// An open non-current asset account of the chart (e.g. `1-2-02` gedung).
        account: String,
        /// The cost (harga perolehan).
        cost: Rupiah,
        /// Useful life in months (umur ekonomis); 0: not depreciated (land).
        useful_life_months: u32,
        /// Residual value (nilai residu), at most the cost.
        residual: Rupiah,
        /// Paid now or on credit (utang usaha).
        payment: PurchasePayment,
        /// What it is (memo).
        memo: String,
    },
    /// Sell or scrap a registered fixed asset (needs `PostEntry`): depreciation up to the
    /// previous month, then the gain or loss against the book value.
    #[doc(alias = "pelepasan aset tetap")]
    DisposeAsset {
        /// The asset's tag.
        asset: String,
        /// What is received (zero when scrapped).
        proceeds: Rupiah,
        /// Cash or bank.
        via: Via,
    },
    /// An operating expense on credit: owed to the supplier (utang usaha) (needs
    /// `PostEntry`).
    #[doc(alias = "beban terutang")]
    ExpenseOnCredit {
        /// An open expense account of the chart.
        account: String,
        /// The amount.
        amount: Rupiah,
        /// The unit, if the expense belongs to one.
        unit: Option<BusinessUnit>,
        /// What it is (memo).
        memo: String,
    },
    /// An expense paid in advance for `months` months (biaya dibayar dimuka), amortised into
    /// `account` by each [`Operation::MonthEnd`] from this month on (needs `PostEntry`).
    #[doc(alias = "biaya dibayar dimuka")]
    PrepayExpense {
        /// The open expense account it is amortised into (e.g. sewa).
        account: String,
        /// The amount paid.
        amount: Rupiah,
        /// Months covered (≥ 1).
        months: u32,
        /// The unit, if the expense belongs to one.
        unit: Option<BusinessUnit>,
        /// Cash or bank.
        via: Via,
        /// What it is (memo).
        memo: String,
    },
    /// A stock count (stock opname) of one item (needs `PostEntry`): the difference to the
    /// book quantity is posted at average cost against HPP.
    #[doc(alias = "stock opname")]
    StockCount {
        /// The unit.
        unit: BusinessUnit,
        /// The stock item.
        sku: String,
        /// The quantity counted.
        counted: u64,
    },
    /// Pledge collateral (agunan) for a loan application or a disbursed loan (needs
    /// `PostEntry`); its value counts in the collectibility class and the PPAP.
    #[doc(alias = "agunan")]
    PledgeCollateral {
        /// The loan (application or disbursed).
        loan: LoanId,
        /// The collateral.
        collateral: crate::book::Collateral,
    },
    /// The pengurus' assessment of a loan for its collectibility (needs `ApproveLoan`): not
    /// salvageable, or handed to court / an insurance claim filed (Macet).
    #[doc(alias = "penilaian pinjaman")]
    AssessLoan {
        /// The loan.
        loan: LoanId,
        /// Salvageable (dapat diselamatkan).
        salvageable: bool,
        /// Handed to court or an insurance claim filed.
        legal_or_insurance: bool,
    },
    /// A documented decision to write off a loan that is not Macet (needs `ApproveLoan`).
    #[doc(alias = "persetujuan hapus buku")]
    WriteOffOverride {
        /// The loan.
        loan: LoanId,
        /// Why (recorded; required).
        reason: String,
    },
    /// Pay out (part of) a payable the book holds (needs `PostEntry`), never beyond what is
    /// owed: a member's SHU (cash, bank or into sukarela), an exit refund, the desa share,
    /// tax, suppliers.
    #[doc(alias = "pembayaran utang")]
    PayPayable {
        /// What is paid.
        payable: crate::book::Payable,
        /// The amount.
        amount: Rupiah,
        /// Cash, bank or the member's sukarela.
        route: crate::book::PayoutRoute,
    },
}

impl Operation {
    /// A short `snake_case` name of the operation (used in sources and errors).
    pub fn name(&self) -> &'static str {
        match self {
            Operation::GrantRole { .. } => "grant_role",
            Operation::RegisterMember { .. } => "register_member",
            Operation::PayPrincipalSavings { .. } => "pay_principal_savings",
            Operation::Deposit { .. } => "deposit",
            Operation::Withdraw { .. } => "withdraw",
            Operation::OpenTimeDeposit { .. } => "open_time_deposit",
            Operation::WithdrawTimeDeposit { .. } => "withdraw_time_deposit",
            Operation::ApplyLoan { .. } => "apply_loan",
            Operation::ApproveLoan { .. } => "approve_loan",
            Operation::DisburseLoan { .. } => "disburse_loan",
            Operation::RepayLoan { .. } => "repay_loan",
            Operation::ChargePenalties { .. } => "charge_penalties",
            Operation::WriteOffLoan { .. } => "write_off_loan",
            Operation::RecoverLoan { .. } => "recover_loan",
            Operation::Purchase { .. } => "purchase",
            Operation::PaySupplier { .. } => "pay_supplier",
            Operation::Sale { .. } => "sale",
            Operation::QrisSale { .. } => "qris_sale",
            Operation::SettleQris { .. } => "settle_qris",
            Operation::Expense { .. } => "expense",
            Operation::Transfer { .. } => "transfer",
            Operation::AcquireAsset { .. } => "acquire_asset",
            Operation::Capital { .. } => "capital",
            Operation::HimbaraDrawdown { .. } => "himbara_drawdown",
            Operation::HimbaraInstallment { .. } => "himbara_installment",
            Operation::MonthEnd => "month_end",
            Operation::MemberExit { .. } => "member_exit",
            Operation::CloseYear { .. } => "close_year",
            Operation::DistributeShu { .. } => "distribute_shu",
            Operation::AcquireFixedAsset { .. } => "acquire_fixed_asset",
            Operation::DisposeAsset { .. } => "dispose_asset",
            Operation::ExpenseOnCredit { .. } => "expense_on_credit",
            Operation::PrepayExpense { .. } => "prepay_expense",
            Operation::StockCount { .. } => "stock_count",
            Operation::PledgeCollateral { .. } => "pledge_collateral",
            Operation::AssessLoan { .. } => "assess_loan",
            Operation::WriteOffOverride { .. } => "write_off_override",
            Operation::PayPayable { .. } => "pay_payable",
        }
    }
}

/// One applied operation: when, by whom, what.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Event {
    /// The accounting date. Events are applied in date order.
    pub date: NaiveDate,
    /// Who does it (checked against the roles).
    pub actor: ActorId,
    /// What.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub op: Operation,
}

impl Event {
    /// An event.
    pub fn new(date: NaiveDate, actor: ActorId, op: Operation) -> Event {
        Event { date, actor, op }
    }
}

/// A savings kind's short Indonesian name.
pub(crate) fn kind_name(kind: SavingsKind) -> &'static str {
    match kind {
        SavingsKind::Principal => "pokok",
        SavingsKind::Mandatory => "wajib",
        SavingsKind::TimeDeposit => "berjangka",
        SavingsKind::Voluntary => "sukarela",
    }
}
